export * from './compact';
export * from './link';
export * from './file';
