using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jevm.Evm.Tracing;
using Jevm.Numerics;
using Jevm.Primitives;
using static Jevm.Evm.OpcodeTable;

namespace Jevm.Evm;

/// <summary>
/// The reference interpreter: runs one frame per <see cref="Execute"/> with a <c>switch</c> over the code bytes. Base
/// gas and stack bounds come from <see cref="OpcodeTable"/> (via <see cref="InstructionCost"/>) and are checked before
/// every instruction; the semantics and dynamic gas are the shared cores in <see cref="Instructions"/>.
/// </summary>
public sealed class Interpreter : IExecutionEngine
{
    private readonly ITracer? _tracer;

    /// <summary>Creates an interpreter, optionally reporting every step to <paramref name="tracer"/>.</summary>
    public Interpreter(ITracer? tracer = null) => _tracer = tracer;

    /// <inheritdoc/>
    public string Name => "interpreter";

    /// <inheritdoc/>
    public ExecutionResult Execute(IEvmHost host, Fork fork, in Message message, ReadOnlyMemory<byte> code, in Hash256 codeHash)
    {
        // Prague's EIP-7702 delegation designators (0xef0100 ‖ address) are resolved by the host before it calls an
        // engine: the engine only ever sees the code to run.
        if (code.IsEmpty && _tracer is null)
            return new ExecutionResult { Status = StatusCode.Success, GasLeft = message.Gas, Output = [] };
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            return SizedStackThread.Execute(this, host, fork, message, code, codeHash); // deep chain: go on on a large stack

        var analysis = AnalyzedCode.Get(code, codeHash);
        var frame = ExecutionFrame.Rent();
        try
        {
            frame.Initialize(host, fork, message, code, analysis.JumpDests);
            var status = _tracer is null
                ? Run<NoTracing>(frame, analysis.PaddedCode, null)
                : Run<Tracing>(frame, analysis.PaddedCode, _tracer);
            ExecutionResult result = status switch
            {
                StatusCode.Success => new() { Status = status, GasLeft = frame.GasLeft, GasRefund = frame.GasRefund, Output = frame.Output },
                StatusCode.Revert => new() { Status = status, GasLeft = frame.GasLeft, Output = frame.Output },
                _ => ExecutionResult.Failure(status),
            };
            _tracer?.OnFrameEnd(result, message.Depth + 1);
            return result;
        }
        finally
        {
            ExecutionFrame.Return(frame);
        }
    }

    private struct NoTracing;
    private struct Tracing;

    /// <summary>
    /// Continues a frame at <paramref name="pc"/> with <paramref name="stackHeight"/> items on
    /// <see cref="ExecutionFrame.Stack"/> and <see cref="ExecutionFrame.GasLeft"/> gas: the JIT's fallback when a
    /// block's precondition fails, so that the exact failure point and gas are the interpreter's own.
    /// </summary>
    internal static StatusCode Resume(ExecutionFrame frame, byte[] paddedCode, int pc, int stackHeight)
        => Run<NoTracing>(frame, paddedCode, null, pc, stackHeight);

    [SkipLocalsInit]
    private static StatusCode Run<TTracing>(ExecutionFrame f, byte[] paddedCode, ITracer? tracer, int startPc = 0, int startSp = 0) where TTracing : struct
    {
        ref byte code = ref MemoryMarshal.GetArrayDataReference(paddedCode);
        ref UInt256 stack = ref MemoryMarshal.GetArrayDataReference(f.Stack);
        ref InstructionCost costs = ref MemoryMarshal.GetArrayDataReference(InstructionCost.For(f.Fork));
        var jumpDests = f.JumpDests;
        long gas = f.GasLeft;
        // Instructions with dynamic gas take a copy by reference, so that the loop's own counter is never
        // address-exposed and stays in a register.
        long g;
        int sp = startSp;
        int pc = startPc;
        StatusCode status;

        while (true)
        {
            byte op = Unsafe.Add(ref code, pc);
            InstructionCost c = Unsafe.Add(ref costs, op);
            if (typeof(TTracing) == typeof(Tracing))
                tracer!.OnStep(pc, op, gas, Math.Max(c.Gas, 0), f.Memory.Size, f.Stack.AsSpan(1, sp), f.Message.Depth + 1, f.GasRefund);

            // One unsigned compare covers underflow, overflow and undefined opcodes (whose range is empty).
            if ((uint)(sp - c.MinStack) > (uint)(c.MaxStack - c.MinStack))
            {
                status = c.Gas < 0 ? StatusCode.UndefinedInstruction : sp < c.MinStack ? StatusCode.StackUnderflow : StatusCode.StackOverflow;
                break;
            }
            gas -= c.Gas;
            if (gas < 0) { status = StatusCode.OutOfGas; break; }

            ref UInt256 top = ref Unsafe.Add(ref stack, sp);
            status = StatusCode.Success;
            switch (op)
            {
                case STOP: goto Halt;
                case ADD: Instructions.Add(ref top); break;
                case MUL: Instructions.Mul(ref top); break;
                case SUB: Instructions.Sub(ref top); break;
                case DIV: Instructions.Div(ref top); break;
                case SDIV: Instructions.SDiv(ref top); break;
                case MOD: Instructions.Mod(ref top); break;
                case SMOD: Instructions.SMod(ref top); break;
                case ADDMOD: Instructions.AddMod(ref top); break;
                case MULMOD: Instructions.MulMod(ref top); break;
                case EXP: g = gas; status = Instructions.Exp(ref top, ref g, f.Fork); gas = g; break;
                case SIGNEXTEND: Instructions.SignExtend(ref top); break;
                case LT: Instructions.Lt(ref top); break;
                case GT: Instructions.Gt(ref top); break;
                case SLT: Instructions.SLt(ref top); break;
                case SGT: Instructions.SGt(ref top); break;
                case EQ: Instructions.Eq(ref top); break;
                case ISZERO: Instructions.IsZero(ref top); break;
                case AND: Instructions.And(ref top); break;
                case OR: Instructions.Or(ref top); break;
                case XOR: Instructions.Xor(ref top); break;
                case NOT: Instructions.Not(ref top); break;
                case BYTE: Instructions.Byte(ref top); break;
                case SHL: Instructions.Shl(ref top); break;
                case SHR: Instructions.Shr(ref top); break;
                case SAR: Instructions.Sar(ref top); break;
                case CLZ: Instructions.Clz(ref top); break;
                case KECCAK256: g = gas; status = Instructions.Keccak256(f, ref top, ref g); gas = g; break;
                case ADDRESS: Instructions.CurrentAddress(f, ref top); break;
                case BALANCE: g = gas; status = Instructions.Balance(f, ref top, ref g); gas = g; break;
                case ORIGIN: Instructions.Origin(f, ref top); break;
                case CALLER: Instructions.Caller(f, ref top); break;
                case CALLVALUE: Instructions.CallValue(f, ref top); break;
                case CALLDATALOAD: Instructions.CallDataLoad(f, ref top); break;
                case CALLDATASIZE: Instructions.CallDataSize(f, ref top); break;
                case CALLDATACOPY: g = gas; status = Instructions.CallDataCopy(f, ref top, ref g); gas = g; break;
                case CODESIZE: Instructions.CodeSize(f, ref top); break;
                case CODECOPY: g = gas; status = Instructions.CodeCopy(f, ref top, ref g); gas = g; break;
                case GASPRICE: Instructions.GasPrice(f, ref top); break;
                case EXTCODESIZE: g = gas; status = Instructions.ExtCodeSize(f, ref top, ref g); gas = g; break;
                case EXTCODECOPY: g = gas; status = Instructions.ExtCodeCopy(f, ref top, ref g); gas = g; break;
                case RETURNDATASIZE: Instructions.ReturnDataSize(f, ref top); break;
                case RETURNDATACOPY: g = gas; status = Instructions.ReturnDataCopy(f, ref top, ref g); gas = g; break;
                case EXTCODEHASH: g = gas; status = Instructions.ExtCodeHash(f, ref top, ref g); gas = g; break;
                case BLOCKHASH: Instructions.BlockHash(f, ref top); break;
                case COINBASE: Instructions.Coinbase(f, ref top); break;
                case TIMESTAMP: Instructions.Timestamp(f, ref top); break;
                case NUMBER: Instructions.Number(f, ref top); break;
                case PREVRANDAO: Instructions.PrevRandao(f, ref top); break;
                case GASLIMIT: Instructions.GasLimit(f, ref top); break;
                case CHAINID: Instructions.ChainId(f, ref top); break;
                case SELFBALANCE: Instructions.SelfBalance(f, ref top); break;
                case BASEFEE: Instructions.BaseFee(f, ref top); break;
                case BLOBHASH: Instructions.BlobHash(f, ref top); break;
                case BLOBBASEFEE: Instructions.BlobBaseFee(f, ref top); break;
                case POP: break;
                case MLOAD: g = gas; status = Instructions.MLoad(f, ref top, ref g); gas = g; break;
                case MSTORE: g = gas; status = Instructions.MStore(f, ref top, ref g); gas = g; break;
                case MSTORE8: g = gas; status = Instructions.MStore8(f, ref top, ref g); gas = g; break;
                case SLOAD: g = gas; status = Instructions.SLoad(f, ref top, ref g); gas = g; break;
                case SSTORE: g = gas; status = Instructions.SStore(f, ref top, ref g); gas = g; break;
                case JUMP:
                    if (!top.FitsInUInt64 || !jumpDests.IsValid(top.U0)) { status = StatusCode.BadJumpDestination; break; }
                    pc = (int)top.U0;
                    sp--;
                    continue;
                case JUMPI:
                    if (!Unsafe.Subtract(ref top, 1).IsZero)
                    {
                        if (!top.FitsInUInt64 || !jumpDests.IsValid(top.U0)) { status = StatusCode.BadJumpDestination; break; }
                        pc = (int)top.U0;
                        sp -= 2;
                        continue;
                    }
                    break;
                case PC: Instructions.Pc(ref top, pc); break;
                case MSIZE: Instructions.MSize(f, ref top); break;
                case GAS: Instructions.Gas(ref top, gas); break;
                case JUMPDEST: break;
                case TLOAD: Instructions.TLoad(f, ref top); break;
                case TSTORE: status = Instructions.TStore(f, ref top); break;
                case MCOPY: g = gas; status = Instructions.MCopy(f, ref top, ref g); gas = g; break;
                case PUSH0: Unsafe.Add(ref top, 1) = default; break;
                case PUSH1:
                    Unsafe.Add(ref top, 1) = new UInt256(Unsafe.Add(ref code, pc + 1));
                    pc++;
                    break;
                case 0x61: case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67:
                case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
                case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
                case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case PUSH32:
                {
                    int n = op - PUSH1 + 1;
                    Unsafe.Add(ref top, 1) = Instructions.ReadImmediate(ref Unsafe.Add(ref code, pc + 1), n);
                    pc += n;
                    break;
                }
                case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
                case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case DUP16:
                    Unsafe.Add(ref top, 1) = Unsafe.Subtract(ref top, op - DUP1);
                    break;
                case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
                case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case SWAP16:
                {
                    ref UInt256 other = ref Unsafe.Subtract(ref top, op - SWAP1 + 1);
                    (top, other) = (other, top);
                    break;
                }
                case 0xa0: case 0xa1: case 0xa2: case 0xa3: case LOG4:
                    g = gas; status = Instructions.Log(f, ref top, ref g, op - LOG0); gas = g;
                    break;
                case CREATE: g = gas; status = Instructions.Create(f, ref top, ref g, create2: false); gas = g; break;
                case CREATE2: g = gas; status = Instructions.Create(f, ref top, ref g, create2: true); gas = g; break;
                case CALL: case CALLCODE: case DELEGATECALL: case STATICCALL:
                    g = gas; status = Instructions.Call(f, ref top, ref g, op); gas = g;
                    break;
                case RETURN:
                    g = gas; status = Instructions.SetOutput(f, ref top, ref g); gas = g;
                    goto Halt;
                case REVERT:
                    g = gas; status = Instructions.SetOutput(f, ref top, ref g); gas = g;
                    if (status == StatusCode.Success) status = StatusCode.Revert;
                    goto Halt;
                case INVALID: status = StatusCode.InvalidInstruction; goto Halt;
                case SELFDESTRUCT:
                    g = gas; status = Instructions.SelfDestruct(f, ref top, ref g); gas = g;
                    goto Halt;
                default: status = StatusCode.UndefinedInstruction; goto Halt;
            }
            if (status != StatusCode.Success) break;
            sp += c.StackChange;
            pc++;
        }

    Halt:
        f.GasLeft = gas;
        f.StackHeight = sp;
        return status;
    }
}
