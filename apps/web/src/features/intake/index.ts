// 群众上报: the staff's side of the residents' reports (随手拍).
export { IntakePage } from './IntakePage';
