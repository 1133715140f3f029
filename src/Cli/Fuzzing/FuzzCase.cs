using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Jevm.Cli.Fuzzing;

/// <summary>An account of a generated pre-state.</summary>
/// <param name="Address">Where it lives.</param>
/// <param name="Code">Its code (empty program for an externally owned account).</param>
/// <param name="Balance">Its balance.</param>
/// <param name="Nonce">Its nonce.</param>
/// <param name="Storage">Its storage slots (non-zero values).</param>
public sealed record FuzzAccount(Address Address, FuzzProgram Code, UInt256 Balance, ulong Nonce, IReadOnlyList<KeyValuePair<UInt256, UInt256>> Storage);

/// <summary>The generated transaction.</summary>
/// <param name="InitCode">For a creation: the init code; null for a call to the first account.</param>
/// <param name="Type">EIP-2718 type (0, 1 or 2).</param>
/// <param name="Value">Value sent.</param>
/// <param name="GasLimit">Gas limit.</param>
/// <param name="Data">Call data (ignored for a creation, whose data is the init code).</param>
/// <param name="AccessList">Access list (types 1 and 2).</param>
public sealed record FuzzTransaction(FuzzProgram? InitCode, int Type, UInt256 Value, long GasLimit, byte[] Data, IReadOnlyList<AccessListEntry> AccessList);

/// <summary>
/// One generated case: a fork, a pre-state of contracts (the first is the transaction's target), and a transaction,
/// reproducible from (<see cref="Seed"/>, <see cref="Index"/>).
/// </summary>
/// <param name="Seed">The campaign seed.</param>
/// <param name="Index">The case index.</param>
/// <param name="Fork">The fork.</param>
/// <param name="Accounts">The contracts and other accounts (not the sender).</param>
/// <param name="Transaction">The transaction.</param>
public sealed record FuzzCase(ulong Seed, long Index, Fork Fork, IReadOnlyList<FuzzAccount> Accounts, FuzzTransaction Transaction)
{
    /// <summary>True when the transaction goes to the <see cref="Observer"/> (the last account) instead of the first.</summary>
    public bool ObserverTarget { get; init; }

    /// <summary>The sender: the well-known test key's address (secret key <see cref="SenderSecretKey"/>).</summary>
    public static readonly Address Sender = Address.Parse("0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b");

    /// <summary>The sender's secret key, for tools that sign the transaction.</summary>
    public const string SenderSecretKey = "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8";

    /// <summary>The sender's balance: enough for any generated gas limit and value.</summary>
    public static readonly UInt256 SenderBalance = new(0, 0, 1, 0); // 2^128

    /// <summary>The block's fee recipient.</summary>
    public static readonly Address Coinbase = Address.Parse("0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba");

    /// <summary>The legacy gas price and the 1559 fee cap.</summary>
    public const ulong GasPrice = 10;

    /// <summary>The block's base fee (London on).</summary>
    public const ulong BaseFee = 7;

    /// <summary>The block environment of the case.</summary>
    public BlockEnvironment Block() => new()
    {
        Coinbase = Coinbase,
        GasLimit = 30_000_000,
        Number = 1,
        Timestamp = 1000,
        Difficulty = new UInt256(0x20000),
        Random = Fork >= Fork.Paris ? new UInt256(0x0200000000000000UL, 0x1234, 0, 0) : UInt256.Zero,
        BaseFee = Fork >= Fork.London ? new UInt256(BaseFee) : UInt256.Zero,
        ExcessBlobGas = 0,
    };

    /// <summary>A fresh pre-state.</summary>
    public WorldState PreState()
    {
        var state = new WorldState();
        state.SetAccount(Sender, 0, SenderBalance, []);
        foreach (var a in Accounts)
        {
            var storage = new List<KeyValuePair<UInt256, UInt256>>(a.Storage.Count);
            foreach (var kv in a.Storage) if (!kv.Value.IsZero) storage.Add(kv);
            state.SetAccount(a.Address, a.Nonce, a.Balance, a.Code.Render(), storage);
        }
        return state;
    }

    /// <summary>The transaction to run.</summary>
    public Transaction BuildTransaction()
    {
        var t = Transaction;
        return new Transaction
        {
            Type = t.Type,
            Sender = Sender,
            Nonce = 0,
            To = t.InitCode is not null ? null : ObserverTarget ? Observer.Address : Accounts[0].Address,
            Value = t.Value,
            Data = t.InitCode?.Render() ?? t.Data,
            GasLimit = t.GasLimit,
            GasPrice = new UInt256(GasPrice),
            MaxFeePerGas = new UInt256(GasPrice),
            MaxPriorityFeePerGas = new UInt256(t.Type == 2 ? 2UL : GasPrice),
            AccessList = t.Type >= 1 ? t.AccessList.ToArray() : [],
        };
    }

    /// <summary>The test name used in state-test files: fuzz-SEED-INDEX.</summary>
    public string Name => $"fuzz-{Seed}-{Index}";

    /// <summary>Total code size of the case (contracts and init code).</summary>
    public int CodeSize
    {
        get
        {
            int n = Transaction.InitCode?.Size ?? 0;
            foreach (var a in Accounts) n += a.Code.Size;
            return n;
        }
    }

    /// <summary>Total number of pieces (what shrinking reduces).</summary>
    public int PieceCount
    {
        get
        {
            int n = Transaction.InitCode?.Pieces.Count ?? 0;
            foreach (var a in Accounts) n += a.Code.Pieces.Count;
            return n;
        }
    }
}

/// <summary>
/// Makes what a state test cannot see (the top frame's output and status) visible in the post-state: the
/// transaction goes to an observer contract that forwards it (a call with the same data and value, or a creation
/// with the data as init code) and stores the outcome.
/// </summary>
public static class Observer
{
    /// <summary>Where the observer lives.</summary>
    public static readonly Address Address = Address.Parse("0x00000000000000000000000000000000000c0dee");

    /// <summary>
    /// The case sent through the observer, which stores: slot 0 the call's success flag (or the created address),
    /// slot 1 the return data size, slot 2 the hash of the return data, slot 3 the gas left after the call.
    /// </summary>
    public static FuzzCase Wrap(FuzzCase c)
    {
        // PUSH1 0 rather than PUSH0 and no RETURNDATA* before Byzantium, so that it runs on every fork.
        var code = new List<byte> { 0x36, 0x60, 0x00, 0x60, 0x00, 0x37 }; // CALLDATACOPY(0, 0, CALLDATASIZE)
        if (c.Transaction.InitCode is null)
        {
            // CALL(GAS, target, CALLVALUE, 0, CALLDATASIZE, 0, 256): the output's first 256 bytes land at 0.
            code.AddRange([0x61, 0x01, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x34, 0x73]);
            code.AddRange(c.Accounts[0].Address.ToBytes());
            code.AddRange([0x5a, 0xf1]);
        }
        else code.AddRange([0x36, 0x60, 0x00, 0x34, 0xf0]); // CREATE(CALLVALUE, 0, CALLDATASIZE)
        code.AddRange([0x60, 0x00, 0x55]);                   // SSTORE(0, success or created address)
        if (c.Fork >= Fork.Byzantium)
        {
            code.AddRange([0x3d, 0x60, 0x01, 0x55]);             // SSTORE(1, RETURNDATASIZE)
            code.AddRange([0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e]); // RETURNDATACOPY(0, 0, RETURNDATASIZE)
            code.AddRange([0x3d, 0x60, 0x00, 0x20]);             // KECCAK256(0, RETURNDATASIZE)
        }
        else code.AddRange([0x61, 0x01, 0x00, 0x60, 0x00, 0x20]); // KECCAK256(0, 256)
        code.AddRange([0x60, 0x02, 0x55, 0x5a, 0x60, 0x03, 0x55, 0x00]); // SSTORE(2, hash); SSTORE(3, GAS); STOP
        var observer = new FuzzAccount(Address, new FuzzProgram([new Piece("observer", code.ToArray())]), UInt256.Zero, 1, []);
        var accounts = c.Accounts.ToList();
        accounts.Add(observer);
        var t = c.Transaction;
        var data = t.InitCode?.Render() ?? t.Data;
        return c with { Accounts = accounts, Transaction = t with { InitCode = null, Data = data, GasLimit = t.GasLimit + 100_000 }, ObserverTarget = true };
    }
}
