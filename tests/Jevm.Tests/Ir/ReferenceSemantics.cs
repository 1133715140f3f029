using System.Numerics;
using Jevm.Evm;

namespace Jevm.Tests.Ir;

/// <summary>
/// The pure EVM opcodes written over <see cref="BigInteger"/> straight from the Yellow Paper and EIP-145/EIP-7939
/// definitions: an independent oracle for constant folding (which uses UInt256).
/// </summary>
internal static class ReferenceSemantics
{
    public static readonly BigInteger Modulus = BigInteger.One << 256;
    public static readonly BigInteger Max = Modulus - 1;

    private static BigInteger Signed(BigInteger x) => x >= (BigInteger.One << 255) ? x - Modulus : x;
    private static BigInteger Word(BigInteger x) => ((x % Modulus) + Modulus) % Modulus;

    /// <summary>The result of <paramref name="op"/> on <paramref name="a"/> (a[0] = top of stack).</summary>
    public static BigInteger Evaluate(byte op, BigInteger[] a)
    {
        switch (op)
        {
            case OpcodeTable.ADD: return Word(a[0] + a[1]);
            case OpcodeTable.MUL: return Word(a[0] * a[1]);
            case OpcodeTable.SUB: return Word(a[0] - a[1]);
            case OpcodeTable.DIV: return a[1].IsZero ? 0 : a[0] / a[1];
            case OpcodeTable.SDIV:
                {
                    if (a[1].IsZero) return 0;
                    var q = BigInteger.Divide(Signed(a[0]), Signed(a[1])); // truncates toward zero
                    return Word(q);
                }
            case OpcodeTable.MOD: return a[1].IsZero ? 0 : a[0] % a[1];
            case OpcodeTable.SMOD:
                {
                    if (a[1].IsZero) return 0;
                    var x = Signed(a[0]);
                    var r = BigInteger.Abs(x) % BigInteger.Abs(Signed(a[1]));
                    return Word(x.Sign < 0 ? -r : r);
                }
            case OpcodeTable.ADDMOD: return a[2].IsZero ? 0 : (a[0] + a[1]) % a[2];
            case OpcodeTable.MULMOD: return a[2].IsZero ? 0 : a[0] * a[1] % a[2];
            case OpcodeTable.EXP: return BigInteger.ModPow(a[0], a[1], Modulus);
            case OpcodeTable.SIGNEXTEND:
                {
                    if (a[0] >= 31) return a[1];
                    int bits = 8 * (int)a[0] + 8;
                    var low = a[1] & ((BigInteger.One << bits) - 1);
                    bool negative = !(low >> (bits - 1)).IsZero;
                    return negative ? Max - ((BigInteger.One << bits) - 1) + low : low;
                }
            case OpcodeTable.LT: return a[0] < a[1] ? 1 : 0;
            case OpcodeTable.GT: return a[0] > a[1] ? 1 : 0;
            case OpcodeTable.SLT: return Signed(a[0]) < Signed(a[1]) ? 1 : 0;
            case OpcodeTable.SGT: return Signed(a[0]) > Signed(a[1]) ? 1 : 0;
            case OpcodeTable.EQ: return a[0] == a[1] ? 1 : 0;
            case OpcodeTable.ISZERO: return a[0].IsZero ? 1 : 0;
            case OpcodeTable.AND: return a[0] & a[1];
            case OpcodeTable.OR: return a[0] | a[1];
            case OpcodeTable.XOR: return a[0] ^ a[1];
            case OpcodeTable.NOT: return Max - a[0];
            case OpcodeTable.BYTE: return a[0] >= 32 ? 0 : (a[1] >> (8 * (31 - (int)a[0]))) & 0xff;
            case OpcodeTable.SHL: return a[0] >= 256 ? 0 : Word(a[1] << (int)a[0]);
            case OpcodeTable.SHR: return a[0] >= 256 ? 0 : a[1] >> (int)a[0];
            case OpcodeTable.SAR:
                {
                    var x = Signed(a[1]);
                    if (a[0] >= 256) return x.Sign < 0 ? Max : 0;
                    return Word(x >> (int)a[0]); // BigInteger's >> floors, as SAR does
                }
            case OpcodeTable.CLZ: return a[0].IsZero ? 256 : 255 - (int)(a[0].GetBitLength() - 1);
            default: throw new ArgumentException($"not a pure opcode: 0x{op:x2}");
        }
    }
}
