export * from './structure';
export * from './report';
export * from './list';
export * from './items';
export * from './learner';
export * from './export';
export * from './views';
