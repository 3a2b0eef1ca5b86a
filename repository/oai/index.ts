/** The OAI-PMH 2.0 provider. */
export { oaiRoutes, type OaiRoutesDependencies } from './oai.routes.ts';
export { answerOaiRequest, OAI_NAMESPACE, type OaiExchange, type OaiSettings } from './oai-provider.ts';
export { OaiRecordRepository } from './oai-record.repository.ts';
export { decodeResumptionToken, encodeResumptionToken, type ResumptionState } from './resumption-token.ts';
