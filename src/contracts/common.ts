import { Type, type Static, type TSchema } from 'typebox';

export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ field: Type.String(), message: Type.String(), rule: Type.Optional(Type.String()), limit: Type.Optional(Type.Number()), code: Type.Optional(Type.String()) }))),
  },
  { description: 'RFC 9457 problem details' },
);

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
});
export type PageQuery = Static<typeof PageQuery>;

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

export interface PageOf<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const AreaSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Type.Integer({ description: '2 city, 3 district, 4 street, 5 community' }),
  parentCode: Type.Union([Type.String(), Type.Null()]),
});
export type AreaDto = Static<typeof AreaSchema>;
