// Open311 合作方: partner keys for the Open311 GeoReport v2 endpoint.
export { PartnersPage } from './PartnersPage';
