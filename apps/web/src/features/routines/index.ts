// The routine screens: 我的任务 (list and calendar) and 任务 (the checklist and its result).
export { MyTasksPage } from './MyTasksPage';
export { TaskPage } from './TaskPage';
export { landingPage } from './common';
