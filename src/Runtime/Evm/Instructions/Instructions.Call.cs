using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Evm;

public static partial class Instructions
{
    /// <summary>
    /// CALL, CALLCODE, DELEGATECALL, STATICCALL (<paramref name="op"/>). Stack: gas, address, [value,] argsOffset,
    /// argsSize, retOffset, retSize; leaves the success flag. Charges the EIP-2929 cold surcharge, memory expansion,
    /// the value-transfer and new-account charges, and the gas passed to the callee (EIP-150: at most all but one 64th
    /// of what is left), then checks depth and balance and runs the callee through <see cref="IEvmHost.Call"/>.
    /// </summary>
    public static StatusCode Call(ExecutionFrame frame, ref UInt256 top, ref long gas, byte op)
    {
        bool withValue = op == OpcodeTable.CALL || op == OpcodeTable.CALLCODE;
        int a = withValue ? 3 : 2;
        ref var gasArg = ref top;
        var target = Primitives.Address.FromWord(Below(ref top, 1));
        var value = withValue ? Below(ref top, 2) : default;
        ref var argsOffset = ref Below(ref top, a);
        ref var argsSize = ref Below(ref top, a + 1);
        ref var retOffset = ref Below(ref top, a + 2);
        ref var retSize = ref Below(ref top, a + 3);
        ref var result = ref retSize; // the flag replaces the deepest input
        bool hasValue = !value.IsZero;
        var fork = frame.Fork;
        var host = frame.Host;
        ref readonly var msg = ref frame.Message;

        if (op == OpcodeTable.CALL && hasValue && msg.IsStatic) return StatusCode.StaticModeViolation;
        if (!ChargeAccountAccess(frame, target, ref gas)) return StatusCode.OutOfGas;
        if (fork >= Fork.Prague && !ChargeDelegateAccess(frame, target, ref gas)) return StatusCode.OutOfGas;

        var m = frame.Memory;
        if (!m.Expand(ref gas, argsOffset, argsSize) || !m.Expand(ref gas, retOffset, retSize)) return StatusCode.OutOfGas;

        long extra = 0;
        if (hasValue) extra += GasCosts.CallValue;
        if (op == OpcodeTable.CALL)
        {
            bool newAccount = fork >= Fork.SpuriousDragon
                ? hasValue && !host.AccountExists(target)
                : !host.AccountExists(target);
            if (newAccount) extra += GasCosts.NewAccount;
        }
        gas -= extra;
        if (gas < 0) return StatusCode.OutOfGas;

        long callGas;
        if (fork >= Fork.TangerineWhistle)
        {
            long cap = gas - gas / GasCosts.CallGasDivisor;
            callGas = gasArg.FitsInUInt64 && gasArg.U0 < (ulong)cap ? (long)gasArg.U0 : cap;
        }
        else
        {
            if (!gasArg.FitsInUInt64 || gasArg.U0 > (ulong)gas) return StatusCode.OutOfGas;
            callGas = (long)gasArg.U0;
        }
        gas -= callGas;
        if (hasValue) callGas += GasCosts.CallStipend;

        frame.ReturnData = [];
        if (msg.Depth >= GasCosts.MaxCallDepth || (hasValue && host.GetBalance(msg.Recipient) < value))
        {
            // The call fails before it starts: the gas (stipend included) comes back, nothing ran.
            gas += callGas;
            result = default;
            return StatusCode.Success;
        }

        var self = msg.Recipient;
        var child = new Message
        {
            Kind = op switch
            {
                OpcodeTable.DELEGATECALL => CallKind.DelegateCall,
                OpcodeTable.CALLCODE => CallKind.CallCode,
                _ => CallKind.Call,
            },
            IsStatic = msg.IsStatic || op == OpcodeTable.STATICCALL,
            Depth = msg.Depth + 1,
            Gas = callGas,
            Recipient = op == OpcodeTable.CALL || op == OpcodeTable.STATICCALL ? target : self,
            CodeAddress = target,
            Sender = op == OpcodeTable.DELEGATECALL ? msg.Sender : self,
            Value = op == OpcodeTable.DELEGATECALL ? msg.Value : value,
            // No copy: the caller's memory cannot change while the callee runs (a copy per call made loops of calls
            // with large inputs, such as stQuadraticComplexityTest/Return50000, cost time quadratic in the gas).
            Input = argsSize.IsZero ? ReadOnlyMemory<byte>.Empty : m.AsMemory(argsOffset.U0, argsSize.U0),
        };

        var r = host.Call(child);
        var output = r.Output ?? [];
        frame.ReturnData = output;
        if (!retSize.IsZero && output.Length > 0)
        {
            int n = (int)Math.Min((ulong)output.Length, retSize.U0);
            output.AsSpan(0, n).CopyTo(m.Slice(retOffset.U0, (ulong)n));
        }
        gas += r.GasLeft;
        if (r.IsSuccess) frame.GasRefund += r.GasRefund;
        result = r.IsSuccess ? UInt256.One : default;
        return StatusCode.Success;
    }

    /// <summary>
    /// EIP-7702 (Prague+): when <paramref name="target"/>'s code is a delegation designator, the call runs the delegate's
    /// code, and accessing the delegate costs like any account access: 2600 cold, 100 warm (on top of the target's own
    /// access cost). False when that runs out of gas.
    /// </summary>
    private static bool ChargeDelegateAccess(ExecutionFrame frame, in Address target, ref long gas)
    {
        if (!Delegation.TryGetTarget(frame.Host.GetCode(target).Span, out var delegate_)) return true;
        gas -= frame.Host.AccessAccount(delegate_) == AccessStatus.Cold ? GasCosts.ColdAccountAccess : GasCosts.WarmStorageRead;
        return gas >= 0;
    }

    /// <summary>
    /// CREATE and CREATE2 (<paramref name="create2"/>). Stack: value, offset, size, [salt]; leaves the new address or
    /// 0. Charges memory expansion, EIP-3860's init-code words (Shanghai+, with its size limit as an exceptional halt),
    /// CREATE2's hashing words, and passes all but one 64th of the gas left (EIP-150) to the init code.
    /// </summary>
    public static StatusCode Create(ExecutionFrame frame, ref UInt256 top, ref long gas, bool create2)
    {
        ref readonly var msg = ref frame.Message;
        if (msg.IsStatic) return StatusCode.StaticModeViolation;
        var value = top;
        ref var offset = ref Below(ref top, 1);
        ref var size = ref Below(ref top, 2);
        ref var result = ref create2 ? ref Below(ref top, 3) : ref size;
        var fork = frame.Fork;

        var m = frame.Memory;
        if (!m.Expand(ref gas, offset, size)) return StatusCode.OutOfGas;
        long sizeBytes = (long)size.U0; // memory expansion succeeded, so it fits
        if (fork >= Fork.Shanghai)
        {
            if (sizeBytes > GasCosts.MaxInitCodeSize) return StatusCode.OutOfGas;
            gas -= GasCosts.InitCodeWord * Words((ulong)sizeBytes);
        }
        if (create2) gas -= GasCosts.Create2HashWord * Words((ulong)sizeBytes);
        if (gas < 0) return StatusCode.OutOfGas;

        var salt = create2 ? Below(ref top, 3) : default;
        long callGas = fork >= Fork.TangerineWhistle ? gas - gas / GasCosts.CallGasDivisor : gas;
        var host = frame.Host;
        frame.ReturnData = [];
        if (msg.Depth >= GasCosts.MaxCallDepth || (!value.IsZero && host.GetBalance(msg.Recipient) < value))
        {
            result = default;
            return StatusCode.Success;
        }
        gas -= callGas;

        var child = new Message
        {
            Kind = create2 ? CallKind.Create2 : CallKind.Create,
            Depth = msg.Depth + 1,
            Gas = callGas,
            Sender = msg.Recipient,
            Value = value,
            Input = sizeBytes == 0 ? ReadOnlyMemory<byte>.Empty : m.Slice(offset.U0, (ulong)sizeBytes).ToArray(),
            Salt = salt,
        };
        var r = host.Call(child);
        gas += r.GasLeft;
        if (r.IsSuccess)
        {
            frame.GasRefund += r.GasRefund;
            result = r.CreatedAddress.ToWord();
        }
        else
        {
            if (r.Status == StatusCode.Revert) frame.ReturnData = r.Output ?? [];
            result = default;
        }
        return StatusCode.Success;
    }
}
