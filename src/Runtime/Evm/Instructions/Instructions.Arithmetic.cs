using System.Runtime.CompilerServices;
using Jevm.Numerics;

namespace Jevm.Evm;

public static partial class Instructions
{
    /// <summary>ADD: a + b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.Add(top, b, out b); }

    /// <summary>MUL: a × b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Mul(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.Multiply(top, b, out b); }

    /// <summary>SUB: a − b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sub(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.Subtract(top, b, out b); }

    /// <summary>DIV: a / b (0 when b is 0).</summary>
    public static void Div(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.Divide(top, b, out b); }

    /// <summary>SDIV.</summary>
    public static void SDiv(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.SignedDivide(top, b, out b); }

    /// <summary>MOD.</summary>
    public static void Mod(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.Mod(top, b, out b); }

    /// <summary>SMOD.</summary>
    public static void SMod(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.SignedMod(top, b, out b); }

    /// <summary>ADDMOD: (a + b) mod N.</summary>
    public static void AddMod(ref UInt256 top) { ref var n = ref Below(ref top, 2); UInt256.AddMod(top, Below(ref top, 1), n, out n); }

    /// <summary>MULMOD: (a × b) mod N.</summary>
    public static void MulMod(ref UInt256 top) { ref var n = ref Below(ref top, 2); UInt256.MulMod(top, Below(ref top, 1), n, out n); }

    /// <summary>EXP: base^exponent, charging per byte of the exponent (10, or 50 from Spurious Dragon, EIP-160).</summary>
    public static StatusCode Exp(ref UInt256 top, ref long gas, Fork fork)
    {
        ref var e = ref Below(ref top, 1);
        gas -= UInt256.ByteLength(e) * (fork >= Fork.SpuriousDragon ? GasCosts.ExpByteEip160 : GasCosts.ExpByteFrontier);
        if (gas < 0) return StatusCode.OutOfGas;
        UInt256.Exp(top, e, out e);
        return StatusCode.Success;
    }

    /// <summary>SIGNEXTEND: extends the sign of byte b (top) of x.</summary>
    public static void SignExtend(ref UInt256 top) { ref var x = ref Below(ref top, 1); UInt256.SignExtend(top, x, out x); }

    /// <summary>LT: a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Lt(ref UInt256 top) { ref var b = ref Below(ref top, 1); b = UInt256.LessThan(top, b) ? UInt256.One : default; }

    /// <summary>GT: a &gt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gt(ref UInt256 top) { ref var b = ref Below(ref top, 1); b = UInt256.LessThan(b, top) ? UInt256.One : default; }

    /// <summary>SLT: signed a &lt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SLt(ref UInt256 top) { ref var b = ref Below(ref top, 1); b = UInt256.SignedLessThan(top, b) ? UInt256.One : default; }

    /// <summary>SGT: signed a &gt; b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SGt(ref UInt256 top) { ref var b = ref Below(ref top, 1); b = UInt256.SignedLessThan(b, top) ? UInt256.One : default; }

    /// <summary>EQ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Eq(ref UInt256 top) { ref var b = ref Below(ref top, 1); b = top.Equals(b) ? UInt256.One : default; }

    /// <summary>ISZERO.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void IsZero(ref UInt256 top) => top = top.IsZero ? UInt256.One : default;

    /// <summary>AND.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.And(top, b, out b); }

    /// <summary>OR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.Or(top, b, out b); }

    /// <summary>XOR.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(ref UInt256 top) { ref var b = ref Below(ref top, 1); UInt256.Xor(top, b, out b); }

    /// <summary>NOT.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(ref UInt256 top) => UInt256.Not(top, out top);

    /// <summary>BYTE: byte i (top) of x, counting from the most significant.</summary>
    public static void Byte(ref UInt256 top) { ref var x = ref Below(ref top, 1); UInt256.Byte(top, x, out x); }

    /// <summary>SHL (EIP-145): value &lt;&lt; shift, shift on top.</summary>
    public static void Shl(ref UInt256 top) { ref var v = ref Below(ref top, 1); UInt256.ShiftLeft(top, v, out v); }

    /// <summary>SHR (EIP-145).</summary>
    public static void Shr(ref UInt256 top) { ref var v = ref Below(ref top, 1); UInt256.ShiftRight(top, v, out v); }

    /// <summary>SAR (EIP-145).</summary>
    public static void Sar(ref UInt256 top) { ref var v = ref Below(ref top, 1); UInt256.ArithmeticShiftRight(top, v, out v); }

    /// <summary>CLZ (EIP-7939): number of leading zero bits, 256 for zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clz(ref UInt256 top) => top = new UInt256((ulong)UInt256.LeadingZeroCount(top));
}
