export { errorHandler, notFoundHandler, statusByErrorCode, type ErrorBody } from './error-handler.ts';
export { checkHealth, healthRoutes, type HealthCheck, type HealthReport } from './health.routes.ts';
