/** The server's rule (staff.weak_password): at least 10 characters with letters and digits. */
export const strongPassword = /^(?=.*[A-Za-z])(?=.*\d).{10,200}$/;
