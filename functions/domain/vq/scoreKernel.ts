/**
 * The index's hot loops as WebAssembly SIMD functions. V8 does not vectorise
 * JavaScript, and no wasm toolchain is a dependency here, so the module is
 * assembled below from its opcodes (two functions, fifty-odd instructions each).
 *
 *   scoreRows(queryPtr, rowsPtr, count, rowBytes, outPtr)
 *     out[i] = query · row i (float32), for `count` rows of `rowBytes` bytes (a multiple of 64);
 *     four f32x4 accumulators, about eight times the same loop in JavaScript.
 *   scoreCodes(queryPtr, rowsPtr, count, rowBytes, outPtr)
 *     out[i] = Σ query[d] · code[d] (int32), uint8 codes widened to int16 against an int16 query,
 *     `rowBytes` a multiple of 16. Node 20 has no relaxed SIMD, so i32x4.dot_i16x8_s does the
 *     multiply-adds: eight per instruction, on a quarter of the float rows' bytes.
 */

/** Float rows must be a whole number of 64-byte steps: dimensions divisible by this. */
export const kernelDimensionMultiple = 16;
/** Code rows are padded to a multiple of this many bytes. */
export const codeRowMultiple = 16;

export type ScoreRowsKernel = (queryPtr: number, rowsPtr: number, count: number, rowBytes: number, outPtr: number) => void;

export interface ScoreKernels {
  scoreRows: ScoreRowsKernel;
  scoreCodes: ScoreRowsKernel;
}

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
  i32Store: 0x36,
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
const i32x4ExtractLane = (lane: number): number[] => [...simd(0x1b), lane];
const i16x8ExtendLowU8 = simd(0x89);
const i16x8ExtendHighU8 = simd(0x8a);
const i32x4DotI16 = simd(0xba);
const i32x4Add = simd(0xae);
const get = (local: number): number[] => [op.localGet, local];
const set = (local: number): number[] => [op.localSet, local];

// Locals of both functions: parameters 0 query, 1 row (advances), 2 count, 3 rowBytes, 4 out (advances);
// then 5 end, 6 byte within the row, and from 7 the function's v128 locals (accumulators first).
const [query, row, count, rowBytes, out, end, offset] = [0, 1, 2, 3, 4, 5, 6];

/**
 * The shape both functions share: for each row, zero the accumulators, run
 * `step` over the row `stepBytes` at a time, and store what `reduce` leaves
 * on the stack to out[i] with `store`.
 */
function perRowLoop(
  v128Locals: number,
  accumulators: number[],
  stepBytes: number,
  step: number[],
  reduce: number[],
  store: number,
): number[] {
  return [
    ...vector([
      [2, i32],
      [v128Locals, v128],
    ]),
    ...get(row),
    ...get(count),
    ...get(rowBytes),
    op.i32Mul,
    op.i32Add,
    ...set(end),
    op.block,
    emptyBlock,
    op.loop,
    emptyBlock,
    ...get(row),
    ...get(end),
    op.i32GeU,
    op.brIf,
    1,
    ...v128Zero,
    ...accumulators.slice(1).flatMap((local) => [op.localTee, local]),
    ...set(accumulators[0]!),
    op.i32Const,
    0,
    ...set(offset),
    op.loop,
    emptyBlock,
    ...step,
    ...get(offset),
    op.i32Const,
    ...signedLeb(stepBytes),
    op.i32Add,
    op.localTee,
    offset,
    ...get(rowBytes),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    ...get(out),
    ...reduce,
    store,
    2,
    0,
    ...get(out),
    op.i32Const,
    4,
    op.i32Add,
    ...set(out),
    ...get(row),
    ...get(rowBytes),
    op.i32Add,
    ...set(row),
    op.br,
    0,
    op.end,
    op.end,
    op.end,
  ];
}

// scoreRows: four float accumulators (7–10), 64 bytes a step.
const floatBody = perRowLoop(
  4,
  [7, 8, 9, 10],
  64,
  // Four 16-byte lanes per step: acc[j] += query[offset + 16j] * row[offset + 16j].
  [7, 8, 9, 10].flatMap((accumulator, j) => [
    ...get(accumulator),
    ...get(query),
    ...get(offset),
    op.i32Add,
    ...v128Load(16 * j),
    ...get(row),
    ...get(offset),
    op.i32Add,
    ...v128Load(16 * j),
    ...f32x4Mul,
    ...f32x4Add,
    ...set(accumulator),
  ]),
  // The sum of all sixteen partial sums.
  [
    ...get(7),
    ...get(8),
    ...f32x4Add,
    ...get(9),
    ...get(10),
    ...f32x4Add,
    ...f32x4Add,
    op.localTee,
    7,
    ...f32x4ExtractLane(0),
    ...get(7),
    ...f32x4ExtractLane(1),
    op.f32Add,
    ...get(7),
    ...f32x4ExtractLane(2),
    ...get(7),
    ...f32x4ExtractLane(3),
    op.f32Add,
    op.f32Add,
  ],
  op.f32Store,
);

// scoreCodes: two integer accumulators (7, 8) and the step's codes (9), 16 codes a step.
const codesBody = perRowLoop(
  3,
  [7, 8],
  16,
  // Sixteen codes against sixteen int16 query values (32 bytes at twice the offset).
  [
    ...get(row),
    ...get(offset),
    op.i32Add,
    ...v128Load(0),
    ...set(9),
    ...get(7),
    ...get(9),
    ...i16x8ExtendLowU8,
    ...get(query),
    ...get(offset),
    op.i32Add,
    ...get(offset),
    op.i32Add,
    ...v128Load(0),
    ...i32x4DotI16,
    ...i32x4Add,
    ...set(7),
    ...get(8),
    ...get(9),
    ...i16x8ExtendHighU8,
    ...get(query),
    ...get(offset),
    op.i32Add,
    ...get(offset),
    op.i32Add,
    ...v128Load(16),
    ...i32x4DotI16,
    ...i32x4Add,
    ...set(8),
  ],
  [
    ...get(7),
    ...get(8),
    ...i32x4Add,
    op.localTee,
    7,
    ...i32x4ExtractLane(0),
    ...get(7),
    ...i32x4ExtractLane(1),
    op.i32Add,
    ...get(7),
    ...i32x4ExtractLane(2),
    ...get(7),
    ...i32x4ExtractLane(3),
    op.i32Add,
    op.i32Add,
  ],
  op.i32Store,
);

const moduleBytes = new Uint8Array([
  0x00,
  0x61,
  0x73,
  0x6d,
  0x01,
  0x00,
  0x00,
  0x00,
  // (type (func (param i32 i32 i32 i32 i32)))
  ...section(1, vector([[0x60, ...vector([[i32], [i32], [i32], [i32], [i32]]), ...vector([])]])),
  // (import "env" "memory" (memory 1))
  ...section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...unsignedLeb(1)]])),
  ...section(3, vector([[0], [0]])),
  ...section(
    7,
    vector([
      [...name('scoreRows'), 0x00, 0],
      [...name('scoreCodes'), 0x00, 1],
    ]),
  ),
  ...section(
    10,
    vector([
      [...unsignedLeb(floatBody.length), ...floatBody],
      [...unsignedLeb(codesBody.length), ...codesBody],
    ]),
  ),
]);

/** The compiled module, or undefined where WebAssembly SIMD is missing (the JavaScript loops are used then). */
const compiled: WebAssembly.Module | undefined = WebAssembly.validate(moduleBytes) ? new WebAssembly.Module(moduleBytes) : undefined;

/** False where WebAssembly SIMD is missing. */
export const scoreKernelAvailable = compiled !== undefined;

/** The kernels bound to a memory, or undefined without WebAssembly SIMD. */
export function instantiateScoreKernels(memory: WebAssembly.Memory): ScoreKernels | undefined {
  if (!compiled) return undefined;
  const { exports } = new WebAssembly.Instance(compiled, { env: { memory } });
  return { scoreRows: exports.scoreRows as ScoreRowsKernel, scoreCodes: exports.scoreCodes as ScoreRowsKernel };
}
