import { AppError, type AppErrorOptions } from '../../../storage/index.ts';

/**
 * A Nôm model file (templates, language model, corrected templates) that this code cannot read:
 * wrong format, wrong version, truncated. Rebuilding with `npm run build-nom-templates` fixes it.
 */
export class NomModelFormatError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('CONFIGURATION', message, options);
  }
}
