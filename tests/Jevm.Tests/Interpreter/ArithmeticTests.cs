using System.Numerics;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Tests.Support;
using static Jevm.Evm.OpcodeTable;
using static Jevm.Tests.Support.Evm;

namespace Jevm.Tests.Interpreter;

public class ArithmeticTests
{
    private static readonly BigInteger s_mod = BigInteger.One << 256;

    private static BigInteger Signed(BigInteger x) => x >= (s_mod >> 1) ? x - s_mod : x;
    private static BigInteger Wrap(BigInteger x) => ((x % s_mod) + s_mod) % s_mod;

    // The EVM definitions (Yellow Paper, appendix H), written on BigInteger independently of UInt256.
    private static BigInteger Reference(byte op, BigInteger a, BigInteger b, BigInteger c) => op switch
    {
        ADD => Wrap(a + b),
        MUL => Wrap(a * b),
        SUB => Wrap(a - b),
        DIV => b.IsZero ? 0 : a / b,
        SDIV => b.IsZero ? 0 : Wrap(BigInteger.Divide(Signed(a), Signed(b))),
        MOD => b.IsZero ? 0 : a % b,
        SMOD => b.IsZero ? 0 : Wrap(BigInteger.Remainder(Signed(a), Signed(b))),
        ADDMOD => c.IsZero ? 0 : (a + b) % c,
        MULMOD => c.IsZero ? 0 : a * b % c,
        EXP => BigInteger.ModPow(a, b, s_mod),
        LT => a < b ? 1 : 0,
        GT => a > b ? 1 : 0,
        SLT => Signed(a) < Signed(b) ? 1 : 0,
        SGT => Signed(a) > Signed(b) ? 1 : 0,
        EQ => a == b ? 1 : 0,
        AND => a & b,
        OR => a | b,
        XOR => a ^ b,
        BYTE => a >= 32 ? 0 : (b >> (8 * (31 - (int)a))) & 0xff,
        SHL => a >= 256 ? 0 : Wrap(b << (int)a),
        SHR => a >= 256 ? 0 : b >> (int)a,
        SAR => a >= 256 ? (Signed(b) < 0 ? s_mod - 1 : 0) : Wrap(Signed(b) >> (int)a),
        SIGNEXTEND => a >= 31 ? b : SignExtend((int)a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static BigInteger SignExtend(int byteIndex, BigInteger x)
    {
        int bits = 8 * (byteIndex + 1);
        var low = x & ((BigInteger.One << bits) - 1);
        bool negative = !(low >> (bits - 1)).IsZero;
        return negative ? low | (s_mod - (BigInteger.One << bits)) : low;
    }

    private static BigInteger RandomWord(Random rng)
    {
        // Biased towards edge values: zero, one, small, 2^255, all ones, a random number of significant bytes.
        switch (rng.Next(8))
        {
            case 0: return 0;
            case 1: return 1;
            case 2: return rng.Next(0, 300);
            case 3: return BigInteger.One << 255;
            case 4: return s_mod - 1 - rng.Next(0, 3);
            default:
                var bytes = new byte[rng.Next(1, 33)];
                rng.NextBytes(bytes);
                return new BigInteger(bytes, isUnsigned: true);
        }
    }

    private static readonly byte[] s_binary = [ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, EXP, LT, GT, SLT, SGT, EQ, AND, OR, XOR, BYTE, SHL, SHR, SAR, SIGNEXTEND];

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Binary_and_ternary_operations_match_a_BigInteger_reference(EngineKind kind)
    {
        var rng = new Random(1234);
        var host = new TestHost(kind, Fork.Cancun);
        foreach (var op in s_binary.Concat([ADDMOD, MULMOD]))
        {
            for (int i = 0; i < 60; i++)
            {
                BigInteger a = RandomWord(rng), b = RandomWord(rng), c = RandomWord(rng);
                if (op is BYTE or SHL or SHR or SAR or SIGNEXTEND && rng.Next(2) == 0) a = rng.Next(0, 300);
                var code = Code.New.Push(UInt256.FromBigInteger(c)).Push(UInt256.FromBigInteger(b)).Push(UInt256.FromBigInteger(a)).Op(op).ReturnTop();
                var r = host.Run(code);
                Assert.True(r.Word() == UInt256.FromBigInteger(Reference(op, a, b, c)),
                    $"{OpcodeTable.Name(op)}({a:x}, {b:x}, {c:x}) = {r.Word()}, expected {Reference(op, a, b, c):x}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Unary_operations(EngineKind kind)
    {
        var host = new TestHost(kind, Fork.Cancun);
        UInt256 Eval(byte op, UInt256 x) => host.Run(Code.New.Push(x).Op(op).ReturnTop()).Word();
        Assert.Equal(UInt256.One, Eval(ISZERO, 0));
        Assert.Equal(UInt256.Zero, Eval(ISZERO, 5));
        Assert.Equal(UInt256.MaxValue, Eval(NOT, 0));
        Assert.Equal(U("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"), Eval(NOT, 1));
    }

    // EIP-145's test cases: (value, shift, expected) for SHL, SHR and SAR.
    public static TheoryData<EngineKind, byte, string, string, string> ShiftVectors()
    {
        const string One = "0x0000000000000000000000000000000000000000000000000000000000000001";
        const string Min = "0x8000000000000000000000000000000000000000000000000000000000000000";
        const string Ones = "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
        const string Zero = "0x0000000000000000000000000000000000000000000000000000000000000000";
        const string Max = "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff";
        var cases = new (byte, string, string, string)[]
        {
            (SHL, One, "0x00", One), (SHL, One, "0x01", "0x02"), (SHL, One, "0xff", Min), (SHL, One, "0x0100", Zero),
            (SHL, One, "0x0101", Zero), (SHL, Ones, "0x00", Ones), (SHL, Ones, "0x01", "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"),
            (SHL, Ones, "0xff", Min), (SHL, Ones, "0x0100", Zero), (SHL, Zero, "0x01", Zero),
            (SHL, Max, "0x01", "0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe"),
            (SHR, One, "0x00", One), (SHR, One, "0x01", Zero), (SHR, Min, "0x01", "0x4000000000000000000000000000000000000000000000000000000000000000"),
            (SHR, Min, "0xff", One), (SHR, Min, "0x0100", Zero), (SHR, Min, "0x0101", Zero), (SHR, Ones, "0x00", Ones),
            (SHR, Ones, "0x01", Max), (SHR, Ones, "0xff", One), (SHR, Ones, "0x0100", Zero), (SHR, Zero, "0x01", Zero),
            (SAR, One, "0x00", One), (SAR, One, "0x01", Zero), (SAR, Min, "0x01", "0xc000000000000000000000000000000000000000000000000000000000000000"),
            (SAR, Min, "0xff", Ones), (SAR, Min, "0x0100", Ones), (SAR, Min, "0x0101", Ones), (SAR, Ones, "0x00", Ones),
            (SAR, Ones, "0x01", Ones), (SAR, Ones, "0xff", Ones), (SAR, Ones, "0x0100", Ones), (SAR, Zero, "0x01", Zero),
            (SAR, "0x4000000000000000000000000000000000000000000000000000000000000000", "0xfe", One),
            (SAR, Max, "0xf8", "0x7f"), (SAR, Max, "0xfe", One), (SAR, Max, "0xff", Zero), (SAR, Max, "0x0100", Zero),
        };
        var data = new TheoryData<EngineKind, byte, string, string, string>();
        foreach (var kind in TestEngines.All)
            foreach (var (op, value, shift, expected) in cases) data.Add(kind, op, value, shift, expected);
        return data;
    }

    [Theory]
    [MemberData(nameof(ShiftVectors))]
    public void Shifts_match_the_EIP_145_vectors(EngineKind kind, byte op, string value, string shift, string expected)
    {
        var r = Run(kind, Fork.Constantinople, Code.New.Push(U(value)).Push(U(shift)).Op(op).ReturnTop());
        Assert.Equal(U(expected), r.Word());
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Shifts_are_undefined_before_Constantinople(EngineKind kind)
    {
        var r = Run(kind, Fork.Byzantium, Code.New.Push(1).Push(1).Op(SHL).ReturnTop());
        Assert.Equal(StatusCode.UndefinedInstruction, r.Status);
        Assert.Equal(0, r.GasLeft);
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Clz_edge_values_in_Osaka(EngineKind kind)
    {
        // EIP-7939: CLZ(0) = 256, CLZ(1) = 255, CLZ(2^255) = 0, CLZ(2^256 - 1) = 0; costs 5 like MUL.
        var host = new TestHost(kind, Fork.Osaka);
        (UInt256, UInt256)[] cases = [(0, 256), (1, 255), (U("0x8000000000000000000000000000000000000000000000000000000000000000"), 0), (UInt256.MaxValue, 0), (U("0x4000000000000000000000000000000000000000000000000000000000000000"), 1), (0xff, 248)];
        foreach (var (x, expected) in cases)
            Assert.Equal(expected, host.Run(Code.New.Push(x).Op(CLZ).ReturnTop()).Word());

        var gasOnly = host.Run(Code.New.Push(1).Op(CLZ).Op(STOP), gas: 100);
        Assert.Equal(3 + 5, gasOnly.Used(100));
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Clz_is_undefined_before_Osaka(EngineKind kind)
    {
        foreach (var fork in new[] { Fork.Cancun, Fork.Prague })
        {
            var r = Run(kind, fork, Code.New.Push(1).Op(CLZ).ReturnTop());
            Assert.Equal(StatusCode.UndefinedInstruction, r.Status);
            Assert.Equal(0, r.GasLeft);
        }
    }

    [Theory]
    [MemberData(nameof(TestEngines.All), MemberType = typeof(TestEngines))]
    public void Exp_charges_per_exponent_byte_by_fork(EngineKind kind)
    {
        // Exponent 0x0100 has 2 significant bytes: 10 + 2 × 10 before Spurious Dragon, 10 + 2 × 50 from it (EIP-160).
        byte[] code = Code.New.Push(0x100).Push(3).Op(EXP).Op(STOP);
        Assert.Equal(3 + 3 + 10 + 2 * 10, Run(kind, Fork.TangerineWhistle, code).Used());
        Assert.Equal(3 + 3 + 10 + 2 * 50, Run(kind, Fork.SpuriousDragon, code).Used());
        // A zero exponent has no bytes.
        Assert.Equal(3 + 3 + 10, Run(kind, Fork.Cancun, Code.New.Push(0).Push(3).Op(EXP).Op(STOP)).Used());
    }
}
