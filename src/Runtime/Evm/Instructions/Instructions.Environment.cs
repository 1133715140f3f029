using System.Runtime.CompilerServices;
using Jevm.Numerics;
using Jevm.Primitives;

namespace Jevm.Evm;

public static partial class Instructions
{
    /// <summary>
    /// EIP-2929 (Berlin+): marks <paramref name="address"/> warm and charges the cold surcharge over the warm base when
    /// it was cold. False when that runs out of gas.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool ChargeAccountAccess(ExecutionFrame frame, in Address address, ref long gas)
    {
        if (frame.Fork < Fork.Berlin) return true;
        if (frame.Host.AccessAccount(address) == AccessStatus.Cold)
        {
            gas -= GasCosts.ColdAccountSurcharge;
            return gas >= 0;
        }
        return true;
    }

    /// <summary>ADDRESS.</summary>
    public static void CurrentAddress(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Message.Recipient.ToWord();

    /// <summary>BALANCE (with the EIP-2929 cold surcharge).</summary>
    public static StatusCode Balance(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        var a = Primitives.Address.FromWord(top);
        if (!ChargeAccountAccess(frame, a, ref gas)) return StatusCode.OutOfGas;
        top = frame.Host.GetBalance(a);
        return StatusCode.Success;
    }

    /// <summary>ORIGIN.</summary>
    public static void Origin(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.Context.Origin.ToWord();

    /// <summary>CALLER.</summary>
    public static void Caller(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Message.Sender.ToWord();

    /// <summary>CALLVALUE.</summary>
    public static void CallValue(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Message.Value;

    /// <summary>CALLDATASIZE.</summary>
    public static void CallDataSize(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = new UInt256((ulong)frame.Message.Input.Length);

    /// <summary>CODESIZE.</summary>
    public static void CodeSize(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = new UInt256((ulong)frame.Code.Length);

    /// <summary>GASPRICE.</summary>
    public static void GasPrice(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.Context.GasPrice;

    /// <summary>EXTCODESIZE (with the EIP-2929 cold surcharge).</summary>
    public static StatusCode ExtCodeSize(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        var a = Primitives.Address.FromWord(top);
        if (!ChargeAccountAccess(frame, a, ref gas)) return StatusCode.OutOfGas;
        top = new UInt256((ulong)frame.Host.GetCodeSize(a));
        return StatusCode.Success;
    }

    /// <summary>EXTCODEHASH (EIP-1052, with the EIP-2929 cold surcharge).</summary>
    public static StatusCode ExtCodeHash(ExecutionFrame frame, ref UInt256 top, ref long gas)
    {
        var a = Primitives.Address.FromWord(top);
        if (!ChargeAccountAccess(frame, a, ref gas)) return StatusCode.OutOfGas;
        top = frame.Host.GetCodeHash(a).Word;
        return StatusCode.Success;
    }

    /// <summary>RETURNDATASIZE (EIP-211).</summary>
    public static void ReturnDataSize(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = new UInt256((ulong)frame.ReturnData.Length);

    /// <summary>BLOCKHASH: the hash of one of the 256 most recent blocks, else zero.</summary>
    public static void BlockHash(ExecutionFrame frame, ref UInt256 top)
    {
        long current = frame.Host.Context.BlockNumber;
        if (top.FitsInUInt64 && top.U0 < (ulong)current && (ulong)current - top.U0 <= GasCosts.BlockHashWindow)
            top = frame.Host.GetBlockHash((long)top.U0).Word;
        else
            top = default;
    }

    /// <summary>COINBASE.</summary>
    public static void Coinbase(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.Context.Coinbase.ToWord();

    /// <summary>TIMESTAMP.</summary>
    public static void Timestamp(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = new UInt256(frame.Host.Context.Timestamp);

    /// <summary>NUMBER.</summary>
    public static void Number(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = new UInt256((ulong)frame.Host.Context.BlockNumber);

    /// <summary>PREVRANDAO (DIFFICULTY before Paris).</summary>
    public static void PrevRandao(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.Context.PrevRandao;

    /// <summary>GASLIMIT.</summary>
    public static void GasLimit(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = new UInt256((ulong)frame.Host.Context.BlockGasLimit);

    /// <summary>CHAINID (EIP-1344).</summary>
    public static void ChainId(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.Context.ChainId;

    /// <summary>SELFBALANCE (EIP-1884).</summary>
    public static void SelfBalance(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.GetBalance(frame.Message.Recipient);

    /// <summary>BASEFEE (EIP-3198).</summary>
    public static void BaseFee(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.Context.BaseFee;

    /// <summary>BLOBHASH (EIP-4844): the transaction's versioned hash at index (top), zero when out of range.</summary>
    public static void BlobHash(ExecutionFrame frame, ref UInt256 top)
    {
        var hashes = frame.Host.Context.BlobHashes;
        top = top.FitsInUInt64 && top.U0 < (ulong)hashes.Length ? hashes[(int)top.U0].Word : default;
    }

    /// <summary>BLOBBASEFEE (EIP-7516).</summary>
    public static void BlobBaseFee(ExecutionFrame frame, ref UInt256 top) => Above(ref top) = frame.Host.Context.BlobBaseFee;

    /// <summary>GAS: the gas left after this instruction's base cost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Gas(ref UInt256 top, long gas) => Above(ref top) = new UInt256((ulong)gas);

    /// <summary>PC.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Pc(ref UInt256 top, int pc) => Above(ref top) = new UInt256((ulong)pc);
}
