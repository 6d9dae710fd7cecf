export * from './db';
export * from './project-record';
export * from './projects';
export * from './project-channel';
