export { VIEW_TITLES } from '../src-shared/views';
