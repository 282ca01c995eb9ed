// Schema pieces every route shares. Ids stay within what both JavaScript and bigint hold exactly.
import { Type } from '@sinclair/typebox';

export const IdValue = (opts: { description?: string } = {}) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...opts });
export const IdParams = Type.Object({ id: IdValue() });
export const Count = () => Type.Integer({ minimum: 0, maximum: 100_000_000 });
