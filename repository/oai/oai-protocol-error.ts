import { InvalidInputError } from '../../storage/index.ts';

/** The error codes of OAI-PMH 2.0 §3.6. */
export type OaiErrorCode =
  | 'badArgument'
  | 'badResumptionToken'
  | 'badVerb'
  | 'cannotDisseminateFormat'
  | 'idDoesNotExist'
  | 'noRecordsMatch'
  | 'noMetadataFormats'
  | 'noSetHierarchy';

/**
 * A request the protocol answers with an `<error>` element (HTTP 200, as §3.6 requires), not
 * with an HTTP error status.
 *
 * @see http://www.openarchives.org/OAI/openarchivesprotocol.html#ErrorConditions
 */
export class OaiProtocolError extends InvalidInputError {
  readonly oaiCode: OaiErrorCode;

  constructor(oaiCode: OaiErrorCode, message: string) {
    super(message);
    this.oaiCode = oaiCode;
  }
}
