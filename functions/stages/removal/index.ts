export { removeUpload } from './removeUpload.js';
