import type { ScannerStrings } from './zh-CN';

export const scanner: ScannerStrings = {
  title: "Yong'ai · Pass scanner",
  signIn: {
    title: 'Scanner sign-in',
    subtitle: 'For compound gates, buildings, stations and certified merchants',
    username: 'Username',
    password: 'Password',
    usernameRequired: 'Enter your username',
    passwordRequired: 'Enter your password',
    submit: 'Sign in',
    expired: 'Your session has ended; please sign in again',
  },
  refused: {
    title: 'This account cannot use the scanner',
    body: 'The scanner app is for pass scanners only. Your role is "{{role}}"; please use the admin console.',
    toAdmin: 'Go to the admin console',
  },
  home: {
    account: 'Signed in as',
    area: 'Area of this checkpoint',
    scan: 'Scan a pass',
    scanSoon: 'Pass verification arrives here with the pass feature: scan the Yong\'ai pass a worker shows, and this place\'s rules decide entry, the elevator, check-in or a discount — even offline.',
    notYet: 'Pass scanning is not available yet',
  },
};
