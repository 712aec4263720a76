/** The scanner app's own strings (namespace `scanner`). */
export const scanner = {
  title: '甬爱 · 扫码核验',
  signIn: {
    title: '扫码核验员登录',
    subtitle: '小区门岗、楼宇、驿站及认证商家使用',
    username: '用户名',
    password: '密码',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    submit: '登录',
    expired: '登录已过期，请重新登录',
  },
  refused: {
    title: '此账号不能使用扫码端',
    body: '扫码端仅供扫码核验员使用。您的角色是「{{role}}」，请使用管理后台。',
    toAdmin: '前往管理后台',
  },
  home: {
    account: '当前账号',
    area: '核验点所在区域',
    scan: '扫码核验',
    scanSoon: '甬爱码核验功能随“一码畅通”上线后在此使用：扫描新就业群体出示的甬爱码，按本场所的规则放行、乘梯、签到或给予优惠，断网时也能核验。',
    notYet: '扫码核验尚未开通',
  },
};
export type ScannerStrings = typeof scanner;
