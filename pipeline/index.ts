export { openQueueConnection, type QueueConnection } from './queue-connection.ts';
