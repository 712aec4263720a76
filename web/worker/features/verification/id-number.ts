// The server's own rules (GB 11643 check character, real birth date, minimum age), run before sending.
export { checkIdNumber, type IdNumberProblem } from '../../../../src/shared/id-number';
