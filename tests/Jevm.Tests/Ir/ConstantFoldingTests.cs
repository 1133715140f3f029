using System.Numerics;
using FsCheck.Xunit;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;
using Jevm.Ir.Passes;
using Jevm.Numerics;

namespace Jevm.Tests.Ir;

public class ConstantFoldingTests
{
    private static readonly BigInteger s_max = ReferenceSemantics.Max;
    private static BigInteger Neg(BigInteger x) => ReferenceSemantics.Modulus - x;

    /// <summary>Code that pushes <paramref name="operands"/> (operand 0 ends on top) and runs <paramref name="op"/>, leaving the result.</summary>
    internal static byte[] Apply(byte op, params BigInteger[] operands)
    {
        var code = new List<byte>();
        for (int i = operands.Length - 1; i >= 0; i--)
        {
            code.Add(OpcodeTable.PUSH32);
            var bytes = new byte[32];
            operands[i].TryWriteBytes(bytes.AsSpan(32 - operands[i].GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
            code.AddRange(bytes);
        }
        code.Add(op);
        return [.. code];
    }

    private static IrFunction Build(byte[] code, Fork fork = Fork.Osaka) => IrBuilder.Build(BytecodeAnalysis.Analyze(code, fork));

    private static UInt256 FoldedResult(IrFunction fn)
    {
        var v = fn.Values[fn.Blocks[0].Outputs[0]];
        Assert.True(v.IsConstant, "the result was not folded");
        return v.Constant;
    }

    public static TheoryData<byte, string[], string> Cases() => new()
    {
        // Expected values from the Yellow Paper definitions (two's complement words, division by zero is zero).
        { OpcodeTable.ADD, ["max", "1"], "0" },
        { OpcodeTable.SUB, ["0", "1"], "max" },
        { OpcodeTable.MUL, ["2^128", "2^128"], "0" },
        { OpcodeTable.DIV, ["7", "2"], "3" },
        { OpcodeTable.DIV, ["7", "0"], "0" },
        { OpcodeTable.SDIV, ["-8", "2"], "-4" },
        { OpcodeTable.SDIV, ["-2^255", "-1"], "-2^255" }, // overflow case defined by the Yellow Paper
        { OpcodeTable.MOD, ["7", "0"], "0" },
        { OpcodeTable.SMOD, ["-7", "3"], "-1" },             // sign of the dividend
        { OpcodeTable.ADDMOD, ["max", "2", "3"], "2" },       // (2^256 + 1) mod 3 with the full 257-bit sum
        { OpcodeTable.MULMOD, ["max", "max", "12"], "9" },    // (2^256-1)^2 mod 12: 2^256-1 ≡ 3 (mod 12), 9
        { OpcodeTable.EXP, ["2", "255"], "2^255" },
        { OpcodeTable.EXP, ["3", "0"], "1" },
        { OpcodeTable.EXP, ["2", "256"], "0" },
        { OpcodeTable.SIGNEXTEND, ["0", "255"], "max" },
        { OpcodeTable.SIGNEXTEND, ["0", "127"], "127" },
        { OpcodeTable.BYTE, ["31", "4660"], "52" },           // 0x1234: last byte 0x34
        { OpcodeTable.SHL, ["4", "1"], "16" },                // EIP-145
        { OpcodeTable.SHR, ["256", "max"], "0" },
        { OpcodeTable.SAR, ["4", "-16"], "-1" },
        { OpcodeTable.SAR, ["300", "-16"], "max" },
        { OpcodeTable.SLT, ["-1", "0"], "1" },
        { OpcodeTable.SGT, ["-1", "0"], "0" },
        { OpcodeTable.LT, ["-1", "0"], "0" },
        { OpcodeTable.GT, ["-1", "0"], "1" },
        { OpcodeTable.EQ, ["5", "5"], "1" },
        { OpcodeTable.ISZERO, ["0"], "1" },
        { OpcodeTable.NOT, ["0"], "max" },
        { OpcodeTable.AND, ["12", "10"], "8" },
        { OpcodeTable.OR, ["12", "10"], "14" },
        { OpcodeTable.XOR, ["12", "10"], "6" },
        { OpcodeTable.CLZ, ["1"], "255" },                    // EIP-7939
        { OpcodeTable.CLZ, ["0"], "256" },
    };

    private static BigInteger Parse(string s) => s switch
    {
        "max" => s_max,
        _ when s.StartsWith('-') => Neg(Parse(s[1..])),
        _ when s.StartsWith("2^", StringComparison.Ordinal) => BigInteger.One << int.Parse(s[2..]),
        _ => BigInteger.Parse(s),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FoldsToTheDefinedValue(byte op, string[] operands, string expected)
    {
        var fn = Build(Apply(op, Array.ConvertAll(operands, Parse)));
        Assert.Equal(1, ConstantFolding.Run(fn));
        Assert.Equal(UInt256.FromBigInteger(Parse(expected)), FoldedResult(fn));
        fn.Validate();
    }

    private static readonly byte[] s_foldable =
    [
        OpcodeTable.ADD, OpcodeTable.MUL, OpcodeTable.SUB, OpcodeTable.DIV, OpcodeTable.SDIV, OpcodeTable.MOD, OpcodeTable.SMOD,
        OpcodeTable.ADDMOD, OpcodeTable.MULMOD, OpcodeTable.EXP, OpcodeTable.SIGNEXTEND, OpcodeTable.LT, OpcodeTable.GT,
        OpcodeTable.SLT, OpcodeTable.SGT, OpcodeTable.EQ, OpcodeTable.ISZERO, OpcodeTable.AND, OpcodeTable.OR, OpcodeTable.XOR,
        OpcodeTable.NOT, OpcodeTable.BYTE, OpcodeTable.SHL, OpcodeTable.SHR, OpcodeTable.SAR, OpcodeTable.CLZ,
    ];

    private static BigInteger Operand(ulong a, ulong b, byte shape) => (shape % 4) switch
    {
        0 => a % 40,                                            // small: shift amounts, byte indices
        1 => a,                                                 // one limb
        2 => ((BigInteger)a << 192) | b,                        // sparse wide
        _ => ReferenceSemantics.Modulus - 1 - a,                // near the top: negative as signed
    };

    [Property(MaxTest = 500)]
    public void FoldingAgreesWithTheBigIntegerReference(byte pick, ulong a0, ulong a1, ulong b0, ulong b1, ulong c0, byte shapes)
    {
        byte op = s_foldable[pick % s_foldable.Length];
        var info = OpcodeTable.Get(op)!.Value;
        var operands = new[] { Operand(a0, a1, shapes), Operand(b0, b1, (byte)(shapes >> 2)), Operand(c0, a0, (byte)(shapes >> 4)) }[..info.StackInputs];
        var fn = Build(Apply(op, operands));
        ConstantFolding.Run(fn);
        Assert.Equal(UInt256.FromBigInteger(ReferenceSemantics.Evaluate(op, operands)), FoldedResult(fn));
    }

    [Fact]
    public void DoesNotFoldNonConstantOperands()
    {
        var fn = Build(Hex.Decode("600035600101")); // CALLDATALOAD(0) + 1
        Assert.Equal(0, ConstantFolding.Run(fn));
        Assert.False(fn.Values[fn.Blocks[0].Outputs[0]].IsConstant);
    }

    [Fact]
    public void FoldedResultsFeedFurtherFolds()
    {
        // (2 + 3) * 4 = 20 then ISZERO = 0
        var fn = Build(Hex.Decode("6004600360020102" + "15"));
        Assert.Equal(3, ConstantFolding.Run(fn));
        Assert.Equal(UInt256.Zero, FoldedResult(fn));
        foreach (var n in fn.Nodes) Assert.Equal(IrNodeKind.Removed, n.Kind);
        Assert.Equal(3 * 3 + 3 + 5 + 3, fn.Blocks[0].StaticGas); // gas of the original instructions stays
    }

    [Fact]
    public void FoldedExpStaysForItsDynamicGas()
    {
        var fn = Build(Hex.Decode("600360020a")); // 2 ** 3
        ConstantFolding.Run(fn);
        Assert.Equal((UInt256)8UL, FoldedResult(fn));
        var exp = Assert.Single(fn.Nodes.ToArray());
        Assert.Equal(IrNodeKind.Pure, exp.Kind);
        Assert.True((exp.Flags & IrNodeFlags.ResultFolded) != 0);
        // Its operands still name the exponent, from which an engine charges 50 gas per byte (EIP-160).
        Assert.Equal((UInt256)3UL, fn.Values[fn.OperandsOf(exp)[1]].Constant);
        DeadValueElimination.Run(fn);
        Assert.Equal(IrNodeKind.Pure, fn.Nodes[0].Kind);
    }

    [Fact]
    public void TheBudgetBoundsExpensiveFolds()
    {
        // 100 × (PUSH32 2^256-1; PUSH1 3; EXP; POP): 3 raised to a 256-bit exponent, a hundred times.
        var code = new List<byte>();
        for (int i = 0; i < 100; i++)
        {
            code.Add(OpcodeTable.PUSH32); code.AddRange(Enumerable.Repeat((byte)0xff, 32)); // exponent 2^256 - 1
            code.Add(OpcodeTable.PUSH1); code.Add(3);                                           // base 3
            code.Add(OpcodeTable.EXP); code.Add(OpcodeTable.POP);
        }
        var fn = Build([.. code]);
        int folded = ConstantFolding.Run(fn, budget: 2000);
        // One fold of a 256-bit exponent costs 1 + 2 × 256 = 513 units: three fit in 2000.
        Assert.Equal(3, folded);
        int exps = 0;
        foreach (var n in fn.Nodes) if (n.Opcode == OpcodeTable.EXP && n.Kind == IrNodeKind.Pure) exps++;
        Assert.Equal(100, exps); // folded or not, every EXP stays for its gas
        Assert.Equal(0, ConstantFolding.Run(Build([.. code]), budget: 0));
        // BigInteger: 3^(2^256-1) mod 2^256, the value folded for the first three.
        var expected = UInt256.FromBigInteger(BigInteger.ModPow(3, ReferenceSemantics.Max, ReferenceSemantics.Modulus));
        Assert.Equal(expected, fn.Values[fn.Nodes[0].Result].Constant);
    }
}
