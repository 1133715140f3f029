using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Evm;

public static partial class Instructions
{
    /// <summary>SLOAD (with the EIP-2929 cold surcharge; the base in the table is the fork's SLOAD or warm cost).</summary>
    public static StatusCode SLoad(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        // The key is replaced by the value before the surcharge is paid: out of gas ends the frame, whose stack is dropped.
        frame.Host.LoadStorage(frame.Message.Recipient, ref top, frame.Fork >= Fork.Berlin, out var access);
        if (access == AccessStatus.Cold)
        {
            gas -= GasCosts.ColdSloadSurcharge;
            if (gas < 0) return StatusCode.OutOfGas;
        }
        return StatusCode.Success;
    }

    /// <summary>
    /// SSTORE: key on top, value second. Charges the whole cost (the base is 0) and updates the refund counter per fork:
    /// Frontier rules; EIP-1283 in Constantinople; Frontier rules again in Petersburg; EIP-2200 from Istanbul (with
    /// the 2300-gas sentry); EIP-2929 prices from Berlin; EIP-3529's smaller clearing refund from London.
    /// </summary>
    public static StatusCode SStore(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        if (frame.Message.IsStatic) return StatusCode.StaticModeViolation;
        var fork = frame.Fork;
        if (fork >= Fork.Istanbul && gas <= GasCosts.SstoreSentryEip2200) return StatusCode.OutOfGas;

        var host = frame.Host;
        var self = frame.Message.Recipient;
        ref var value = ref Below(ref top, 1);
        host.ReadSlotForStore(self, top, fork >= Fork.Berlin, out var current, out var original, out var access);
        long cost = access == AccessStatus.Cold ? GasCosts.ColdSload : 0;
        long refund = 0;
        if (fork < Fork.Constantinople || fork == Fork.Petersburg)
        {
            if (current.IsZero && !value.IsZero) cost += GasCosts.SstoreSet;
            else cost += GasCosts.SstoreReset;
            if (!current.IsZero && value.IsZero) refund = GasCosts.SstoreClearRefund;
        }
        else
        {
            // Net gas metering (EIP-1283 / EIP-2200 / EIP-2929 / EIP-3529 share the structure, not the prices).
            long noop, reset, clear;
            if (fork == Fork.Constantinople) { noop = GasCosts.SstoreDirtyEip1283; reset = GasCosts.SstoreReset; clear = GasCosts.SstoreClearRefund; }
            else if (fork < Fork.Berlin) { noop = GasCosts.SloadEip1884; reset = GasCosts.SstoreReset; clear = GasCosts.SstoreClearRefund; }
            else
            {
                noop = GasCosts.WarmStorageRead;
                reset = GasCosts.SstoreReset - GasCosts.ColdSload;
                clear = fork >= Fork.London ? GasCosts.SstoreClearRefundEip3529 : GasCosts.SstoreClearRefund;
            }

            if (current.Equals(value)) cost += noop;
            else
            {
                if (original.Equals(current))
                {
                    if (original.IsZero) cost += GasCosts.SstoreSet;
                    else
                    {
                        cost += reset;
                        if (value.IsZero) refund += clear;
                    }
                }
                else
                {
                    cost += noop;
                    if (!original.IsZero)
                    {
                        if (current.IsZero) refund -= clear;
                        else if (value.IsZero) refund += clear;
                    }
                    if (original.Equals(value))
                        refund += original.IsZero ? GasCosts.SstoreSet - noop : reset - noop;
                }
            }
        }

        gas -= cost;
        if (gas < 0) return StatusCode.OutOfGas;
        frame.GasRefund += refund;
        if (!current.Equals(value)) host.SetStorage(self, top, value);
        return StatusCode.Success;
    }

    /// <summary>TLOAD (EIP-1153).</summary>
    public static void TLoad(ExecutionFrame frame, ref UInt256 top) => top = frame.Host.GetTransientStorage(frame.Message.Recipient, top);

    /// <summary>TSTORE (EIP-1153): forbidden in a static context.</summary>
    public static StatusCode TStore(ExecutionFrame frame, ref UInt256 top)
    {
        if (frame.Message.IsStatic) return StatusCode.StaticModeViolation;
        frame.Host.SetTransientStorage(frame.Message.Recipient, top, Below(ref top, 1));
        return StatusCode.Success;
    }

    /// <summary>LOG0–LOG4: offset on top, size second, then the topics; 8 gas per byte of data.</summary>
    public static StatusCode Log(ExecutionFrame frame, ref UInt256 top, ref long gas, int topicCount)
    {
        if (frame.Message.IsStatic) return StatusCode.StaticModeViolation;
        ref var size = ref Below(ref top, 1);
        if (!size.FitsInUInt64 || size.U0 > (1UL << 36)) return StatusCode.OutOfGas;
        gas -= (long)size.U0 * GasCosts.LogData;
        if (gas < 0) return StatusCode.OutOfGas;
        var m = frame.Memory;
        if (!m.Expand(ref gas, top, size)) return StatusCode.OutOfGas;
        Span<UInt256> topics = stackalloc UInt256[4];
        for (int i = 0; i < topicCount; i++) topics[i] = Below(ref top, 2 + i);
        frame.Host.EmitLog(frame.Message.Recipient, size.IsZero ? default : m.Slice(top.U0, size.U0), topics[..topicCount]);
        return StatusCode.Success;
    }

    /// <summary>
    /// SELFDESTRUCT: beneficiary on top. Charges the EIP-2929 cold surcharge and the new-account charge (from EIP-150;
    /// from Spurious Dragon only when a non-zero balance goes to an empty account, EIP-161), then lets the host move the
    /// balance; before London a first registration earns the 24000 refund.
    /// </summary>
    public static StatusCode SelfDestruct(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        if (frame.Message.IsStatic) return StatusCode.StaticModeViolation;
        var beneficiary = Primitives.Address.FromWord(top);
        var fork = frame.Fork;
        var host = frame.Host;
        var self = frame.Message.Recipient;
        if (fork >= Fork.Berlin && host.AccessAccount(beneficiary) == AccessStatus.Cold)
        {
            gas -= GasCosts.ColdAccountAccess;
            if (gas < 0) return StatusCode.OutOfGas;
        }
        if (fork >= Fork.TangerineWhistle)
        {
            bool chargeNew = fork >= Fork.SpuriousDragon
                ? !host.GetBalance(self).IsZero && !host.AccountExists(beneficiary)
                : !host.AccountExists(beneficiary);
            if (chargeNew)
            {
                gas -= GasCosts.NewAccount;
                if (gas < 0) return StatusCode.OutOfGas;
            }
        }
        if (host.SelfDestruct(self, beneficiary) && fork < Fork.London) frame.GasRefund += GasCosts.SelfDestructRefund;
        return StatusCode.Success;
    }
}
