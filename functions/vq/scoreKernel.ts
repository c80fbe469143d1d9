/**
 * The index's hot loop as a WebAssembly SIMD function: inner products of one
 * query with many rows, four f32x4 accumulators at a time, about eight times
 * what the same loop does in JavaScript. V8 does not vectorise JavaScript, and
 * no wasm toolchain is a dependency here, so the module is assembled below
 * from its opcodes (one function, fifty-odd instructions).
 *
 *   scoreRows(queryPtr, rowsPtr, count, rowBytes, outPtr)
 *     out[i] = query · row i, for `count` rows of `rowBytes` bytes (a multiple of 64)
 */

/** Rows must be a whole number of 64-byte steps: dimensions divisible by this. */
export const kernelDimensionMultiple = 16;

export type ScoreRowsKernel = (queryPtr: number, rowsPtr: number, count: number, rowBytes: number, outPtr: number) => void;

const unsignedLeb = (value: number): number[] => {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
};
const signedLeb = (value: number): number[] => {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0)) return [...bytes, byte];
    bytes.push(byte | 0x80);
  }
};
const vector = (items: number[][]): number[] => [...unsignedLeb(items.length), ...items.flat()];
const section = (id: number, bytes: number[]): number[] => [id, ...unsignedLeb(bytes.length), ...bytes];
const name = (text: string): number[] => vector([...new TextEncoder().encode(text)].map((byte) => [byte]));

const i32 = 0x7f;
const v128 = 0x7b;
const emptyBlock = 0x40;
const op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f32Store: 0x38,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  f32Add: 0x92,
} as const;
const simd = (opcode: number): number[] => [0xfd, ...unsignedLeb(opcode)];
/** v128.load with a 16-byte alignment hint (log2 4) and a constant offset. */
const v128Load = (offset: number): number[] => [...simd(0x00), 4, ...unsignedLeb(offset)];
const v128Zero = [...simd(0x0c), ...new Array<number>(16).fill(0)];
const f32x4Add = simd(0xe4);
const f32x4Mul = simd(0xe6);
const f32x4ExtractLane = (lane: number): number[] => [...simd(0x1f), lane];
const get = (local: number): number[] => [op.localGet, local];
const set = (local: number): number[] => [op.localSet, local];

// Locals: parameters 0 query, 1 row (advances), 2 count, 3 rowBytes, 4 out (advances); 5 end, 6 byte within the row; 7–10 accumulators.
const [query, row, count, rowBytes, out, end, offset] = [0, 1, 2, 3, 4, 5, 6];
const accumulators = [7, 8, 9, 10];

const body: number[] = [
  ...vector([
    [2, i32],
    [4, v128],
  ]),
  ...get(row), ...get(count), ...get(rowBytes), op.i32Mul, op.i32Add, ...set(end),
  op.block, emptyBlock,
  op.loop, emptyBlock,
  ...get(row), ...get(end), op.i32GeU, op.brIf, 1,
  ...v128Zero, op.localTee, 7, op.localTee, 8, op.localTee, 9, ...set(10),
  op.i32Const, 0, ...set(offset),
  op.loop, emptyBlock,
  // Four 16-byte lanes per step: acc[j] += query[offset + 16j] * row[offset + 16j].
  ...accumulators.flatMap((accumulator, j) => [
    ...get(accumulator),
    ...get(query), ...get(offset), op.i32Add, ...v128Load(16 * j),
    ...get(row), ...get(offset), op.i32Add, ...v128Load(16 * j),
    ...f32x4Mul, ...f32x4Add, ...set(accumulator),
  ]),
  ...get(offset), op.i32Const, ...signedLeb(64), op.i32Add, op.localTee, offset, ...get(rowBytes), op.i32LtU, op.brIf, 0,
  op.end,
  // out[i] = the sum of all sixteen partial sums.
  ...get(out),
  ...get(7), ...get(8), ...f32x4Add, ...get(9), ...get(10), ...f32x4Add, ...f32x4Add, op.localTee, 7,
  ...f32x4ExtractLane(0), ...get(7), ...f32x4ExtractLane(1), op.f32Add,
  ...get(7), ...f32x4ExtractLane(2), ...get(7), ...f32x4ExtractLane(3), op.f32Add, op.f32Add,
  op.f32Store, 2, 0,
  ...get(out), op.i32Const, 4, op.i32Add, ...set(out),
  ...get(row), ...get(rowBytes), op.i32Add, ...set(row),
  op.br, 0,
  op.end,
  op.end,
  op.end,
];

const moduleBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // (type (func (param i32 i32 i32 i32 i32)))
  ...section(1, vector([[0x60, ...vector([[i32], [i32], [i32], [i32], [i32]]), ...vector([])]])),
  // (import "env" "memory" (memory 1))
  ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(1)]])),
  ...section(3, vector([[0]])),
  ...section(7, vector([[...name('scoreRows'), 0x00, 0]])),
  ...section(10, vector([[...unsignedLeb(body.length), ...body]])),
]);

/** The compiled module, or undefined where WebAssembly SIMD is missing (the JavaScript loops are used then). */
const compiled: WebAssembly.Module | undefined = WebAssembly.validate(moduleBytes) ? new WebAssembly.Module(moduleBytes) : undefined;

/** False where WebAssembly SIMD is missing. */
export const scoreKernelAvailable = compiled !== undefined;

/** The kernel bound to a memory, or undefined without WebAssembly SIMD. */
export function instantiateScoreKernel(memory: WebAssembly.Memory): ScoreRowsKernel | undefined {
  if (!compiled) return undefined;
  const instance = new WebAssembly.Instance(compiled, { env: { memory } });
  return instance.exports.scoreRows as ScoreRowsKernel;
}
