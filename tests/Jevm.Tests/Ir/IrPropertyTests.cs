using System.Numerics;
using FsCheck.Xunit;
using Jevm.Evm;
using Jevm.Frontend;
using Jevm.Ir;
using Jevm.Numerics;
using Jevm.Tests.Frontend;

namespace Jevm.Tests.Ir;

/// <summary>
/// Properties of IR building and the passes on random programs: structural invariants, unchanged gas, and the same
/// dataflow as the bytecode — every block, run on concrete entry values through the IR (pure nodes by the
/// BigInteger reference, folded ones as folded) and directly on a stack, gives the same exit stack and the same
/// operands to every effect and terminator.
/// </summary>
public class IrPropertyTests
{
    private static readonly Fork[] s_forks = [Fork.Frontier, Fork.Byzantium, Fork.Berlin, Fork.Shanghai, Fork.Cancun, Fork.Osaka];

    internal static void CheckProgram(byte[] code, Fork fork, int seed)
    {
        var analysis = BytecodeAnalysis.Analyze(code, fork);
        var built = IrBuilder.Build(analysis);
        built.Validate();
        CheckDataflow(built, code, seed);

        var fn = IrBuilder.Build(analysis);
        IrOptimizer.Run(fn);
        fn.Validate();
        CheckDataflow(fn, code, seed);

        var naive = NaiveAnalysis.Analyze(code, fork);
        int liveDynamic = 0, expectedDynamic = 0, liveObserving = 0, expectedObserving = 0;
        foreach (var block in fn.Blocks)
        {
            Assert.Equal(naive[block.Index].Gas, block.StaticGas); // passes never change gas
            if (block.IsRemoved) continue;
            foreach (var p in analysis.GasPointsOf(block.Index))
            {
                if ((p.Kind & GasPointKind.AddsDynamicGas) != 0) expectedDynamic++;
                if ((p.Kind & GasPointKind.ObservesGas) != 0) expectedObserving++;
            }
            foreach (var n in fn.NodesOf(block))
            {
                if (n.Kind == IrNodeKind.Removed) continue;
                if ((n.Flags & IrNodeFlags.DynamicGas) != 0) liveDynamic++;
                if ((n.Flags & IrNodeFlags.ObservesGas) != 0) liveObserving++;
            }
        }
        Assert.Equal(expectedDynamic, liveDynamic);
        Assert.Equal(expectedObserving, liveObserving);
        // The entry block is always reachable.
        if (fn.Blocks.Count > 0) Assert.False(fn.Blocks[0].IsRemoved);
    }

    /// <summary>An opaque value for the result of a non-pure instruction, the same in both evaluations.</summary>
    private static BigInteger Opaque(int pc, int seed) => new BigInteger(HashCode.Combine(pc, seed) & int.MaxValue) * 0x9E3779B97F4A7C15UL;

    private static BigInteger Big(in UInt256 v) => v.ToBigInteger();

    private static void CheckDataflow(IrFunction fn, byte[] code, int seed)
    {
        var rng = new Random(seed);
        var facts = Jevm.Evm.OpcodeTable.BaseGas(fn.Fork);
        foreach (var block in fn.Blocks)
        {
            if (block.IsRemoved) continue;
            var s = block.Summary;
            var entry = new BigInteger[s.StackRequired];
            for (int i = 0; i < entry.Length; i++)
                entry[i] = rng.Next(3) == 0 ? rng.Next(64) : new BigInteger(rng.NextInt64()) * rng.NextInt64() * rng.NextInt64() % ReferenceSemantics.Modulus;
            // Slots that entry constant propagation proved constant hold that constant on every path into the block.
            for (int i = 0; i < entry.Length; i++)
                if (fn.Values[block.FirstParameter + i].IsConstant) entry[i] = Big(fn.ConstantOf(block.FirstParameter + i));

            // Direct: run the block's bytecode on a stack (top = end of list); record effects' popped operands.
            var stack = new List<BigInteger>();
            for (int i = entry.Length - 1; i >= 0; i--) stack.Add(entry[i]);
            var effects = new List<(int Pc, BigInteger[] Operands)>();
            int pc = s.Start;
            for (int k = 0; k < s.InstructionCount; k++)
            {
                byte op = code[pc];
                var info = OpcodeTable.Get(op, fn.Fork);
                if (facts[op] == OpcodeTable.Undefined || info is null) { effects.Add((pc, [])); break; }
                var f = info.Value.Flags;
                if ((f & OpcodeFlags.Push) != 0)
                {
                    var bytes = new byte[info.Value.ImmediateSize];
                    for (int b = 0; b < bytes.Length; b++) bytes[b] = pc + 1 + b < code.Length ? code[pc + 1 + b] : (byte)0;
                    stack.Add(new BigInteger(bytes, isUnsigned: true, isBigEndian: true));
                }
                else if ((f & OpcodeFlags.Dup) != 0) stack.Add(stack[^info.Value.StackInputs]);
                else if ((f & OpcodeFlags.Swap) != 0)
                {
                    int n = info.Value.StackInputs;
                    (stack[^1], stack[^n]) = (stack[^n], stack[^1]);
                }
                else if (op == OpcodeTable.POP) stack.RemoveAt(stack.Count - 1);
                else if (op == OpcodeTable.PC) stack.Add(pc);
                else if (op != OpcodeTable.JUMPDEST)
                {
                    var args = new BigInteger[info.Value.StackInputs];
                    for (int i = 0; i < args.Length; i++) { args[i] = stack[^1]; stack.RemoveAt(stack.Count - 1); }
                    if ((f & OpcodeFlags.Pure) != 0) stack.Add(ReferenceSemantics.Evaluate(op, args));
                    else
                    {
                        effects.Add((pc, args));
                        if (info.Value.StackOutputs == 1) stack.Add(Opaque(pc, seed));
                    }
                }
                pc += 1 + info.Value.ImmediateSize;
            }

            // Through the IR.
            var values = new Dictionary<int, BigInteger>();
            BigInteger Get(int id)
            {
                ref readonly var v = ref fn.Values[id];
                return v.Kind switch
                {
                    IrValueKind.Parameter => entry[v.Index],
                    IrValueKind.Constant => Big(fn.ConstantOf(id)),
                    _ => values[id],
                };
            }
            var irEffects = new List<(int Pc, BigInteger[] Operands)>();
            foreach (var n in fn.NodesOf(block))
            {
                if (n.Kind == IrNodeKind.Removed) continue;
                var ops = fn.OperandsOf(n);
                var args = new BigInteger[ops.Length];
                for (int i = 0; i < args.Length; i++) args[i] = Get(ops[i]);
                if (n.Kind == IrNodeKind.Pure)
                {
                    if ((n.Flags & IrNodeFlags.ResultFolded) == 0) values[n.Result] = ReferenceSemantics.Evaluate(n.Opcode, args);
                    else Assert.Equal(ReferenceSemantics.Evaluate(n.Opcode, args), Get(n.Result));
                }
                else
                {
                    irEffects.Add((n.Pc, args));
                    if (n.Result >= 0) values[n.Result] = Opaque(n.Pc, seed);
                }
            }
            Assert.Equal(effects.Count, irEffects.Count);
            for (int i = 0; i < effects.Count; i++)
            {
                Assert.Equal(effects[i].Pc, irEffects[i].Pc);
                Assert.Equal(effects[i].Operands, irEffects[i].Operands);
            }
            // The exit stack (only meaningful for blocks that run to their end without an undefined opcode).
            if (s.EndKind != BlockEndKind.Undefined)
            {
                Assert.Equal(stack.Count, block.Outputs.Length);
                for (int i = 0; i < block.Outputs.Length; i++) Assert.Equal(stack[^(i + 1)], Get(block.Outputs[i]));
            }
        }
    }

    [Property(MaxTest = 200)]
    public void StructuredProgramsKeepTheirDataflowAndGas(int seed, byte forkPick)
    {
        CheckProgram(ProgramGenerator.Generate(seed), s_forks[forkPick % s_forks.Length], seed);
    }

    [Property(MaxTest = 300)]
    public void RandomBytesKeepTheirDataflowAndGas(byte[] code, byte forkPick, int seed)
    {
        CheckProgram(code, s_forks[forkPick % s_forks.Length], seed);
    }

    [Fact]
    public void StraightLineArithmeticFoldsToTheReferenceValues()
    {
        // Deterministic, arithmetic-only programs: every pure op with constant operands, mixed with entry values.
        var rng = new Random(7);
        byte[] ops = [OpcodeTable.ADD, OpcodeTable.MUL, OpcodeTable.SUB, OpcodeTable.DIV, OpcodeTable.SDIV, OpcodeTable.MOD,
            OpcodeTable.SMOD, OpcodeTable.EXP, OpcodeTable.SIGNEXTEND, OpcodeTable.SLT, OpcodeTable.SAR, OpcodeTable.BYTE,
            OpcodeTable.SHL, OpcodeTable.SHR, OpcodeTable.ADDMOD, OpcodeTable.MULMOD, OpcodeTable.NOT, OpcodeTable.CLZ];
        for (int t = 0; t < 200; t++)
        {
            var code = new List<byte>();
            for (int k = 0; k < 12; k++)
            {
                int n = rng.Next(1, 33);
                code.Add((byte)(OpcodeTable.PUSH1 + n - 1));
                for (int b = 0; b < n; b++) code.Add((byte)(rng.Next(4) == 0 ? 0xff : rng.Next(256)));
                if (k >= 3) code.Add(ops[rng.Next(ops.Length)]);
            }
            CheckProgram([.. code], Fork.Osaka, t);
        }
    }
}
