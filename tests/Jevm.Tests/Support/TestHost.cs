using System.Globalization;
using Jevm.Codegen;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Evm.Tracing;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;

namespace Jevm.Tests.Support;

/// <summary>An account of <see cref="TestHost"/>.</summary>
public sealed class TestAccount
{
    public UInt256 Balance;
    public ulong Nonce;
    public byte[] Code = [];
    public Dictionary<UInt256, UInt256> Storage = new();

    public bool IsEmpty => Balance.IsZero && Nonce == 0 && Code.Length == 0;

    public TestAccount Clone() => new() { Balance = Balance, Nonce = Nonce, Code = Code, Storage = new(Storage) };
}

/// <summary>A log recorded by <see cref="TestHost"/>.</summary>
public sealed record TestLog(Address Address, byte[] Data, UInt256[] Topics);

/// <summary>
/// A small in-memory <see cref="IEvmHost"/> for engine tests: accounts in dictionaries, a whole-state snapshot per
/// nested call as its journal, CREATE/CREATE2 addresses, code deposit, EIP-2929 warm sets. Not the real world state
/// (that is Jevm.State); just enough for the engine to be tested on its own.
/// </summary>
public sealed class TestHost : IEvmHost
{
    public static readonly Address Caller = Address.Parse("0x00000000000000000000000000000000000c0ffe");
    public static readonly Address Contract = Address.Parse("0x000000000000000000000000000000000000c0de");

    private Dictionary<Address, TestAccount> _accounts = new();
    private Dictionary<Address, Dictionary<UInt256, UInt256>> _original = new();
    private Dictionary<(Address, UInt256), UInt256> _transient = new();
    private HashSet<Address> _warmAccounts = new();
    private HashSet<(Address, UInt256)> _warmSlots = new();
    private HashSet<Address> _destructed = new();

    public TestHost(EngineKind kind, Fork fork, ITracer? tracer = null)
    {
        Fork = fork;
        Engine = Engines.Create(kind, tracer);
    }

    /// <summary>A host whose frames run on <paramref name="engine"/> (e.g. a JIT engine with special options).</summary>
    public TestHost(IExecutionEngine engine, Fork fork)
    {
        Fork = fork;
        Engine = engine;
    }

    public Fork Fork { get; set; }
    public IExecutionEngine Engine { get; }
    public TxContext Context { get; set; } = new() { BlockNumber = 1000, BlockGasLimit = 30_000_000, Timestamp = 1_700_000_000, ChainId = 1 };
    public List<TestLog> Logs { get; private set; } = new();
    public List<Message> Calls { get; } = new();

    public TestAccount Account(Address address)
    {
        if (!_accounts.TryGetValue(address, out var a)) _accounts[address] = a = new TestAccount();
        return a;
    }

    public bool HasAccount(Address address) => _accounts.ContainsKey(address);

    public TestHost WithCode(Address address, byte[] code) { Account(address).Code = code; return this; }

    public TestHost WithBalance(Address address, UInt256 balance) { Account(address).Balance = balance; return this; }

    public TestHost WithStorage(Address address, UInt256 key, UInt256 value) { Account(address).Storage[key] = value; return this; }

    public void WarmSlot(Address address, UInt256 key) => _warmSlots.Add((address, key));

    public void WarmAccount(Address address) => _warmAccounts.Add(address);

    public UInt256 Storage(Address address, UInt256 key)
        => _accounts.TryGetValue(address, out var a) && a.Storage.TryGetValue(key, out var v) ? v : default;

    /// <summary>Starts a transaction: records original storage values, clears transient storage and warm sets.</summary>
    public void BeginTransaction()
    {
        _original = new();
        foreach (var (addr, acc) in _accounts) _original[addr] = new(acc.Storage);
        _transient.Clear();
        _warmAccounts.Clear();
        _warmSlots.Clear();
        _destructed.Clear();
        Logs = new();
    }

    /// <summary>
    /// Runs <paramref name="code"/> as <see cref="Contract"/>'s code in a new transaction called by <see cref="Caller"/>
    /// (both warm from Berlin on, as the transaction processor would make them).
    /// </summary>
    public ExecutionResult Run(byte[] code, long gas = 1_000_000, UInt256 value = default, byte[]? input = null,
        bool isStatic = false, int depth = 0, bool beginTransaction = true, Address? recipient = null, Address? sender = null)
    {
        var self = recipient ?? Contract;
        var from = sender ?? Caller;
        Account(self).Code = code;
        if (beginTransaction) BeginTransaction();
        if (Fork >= Fork.Berlin)
        {
            _warmAccounts.Add(from);
            _warmAccounts.Add(self);
            foreach (var p in PrecompileRegistry.Addresses(Fork)) _warmAccounts.Add(p);
        }
        var msg = new Message
        {
            Kind = CallKind.Call,
            Gas = gas,
            Recipient = self,
            CodeAddress = self,
            Sender = from,
            Value = value,
            Input = input ?? [],
            IsStatic = isStatic,
            Depth = depth,
        };
        return Engine.Execute(this, Fork, msg, code, Keccak256.Compute(code));
    }

    public bool AccountExists(in Address address)
    {
        if (!_accounts.TryGetValue(address, out var a)) return false;
        return Fork < Fork.SpuriousDragon || !a.IsEmpty;
    }

    public UInt256 GetBalance(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Balance : default;

    public int GetCodeSize(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Code.Length : 0;

    public Hash256 GetCodeHash(in Address address)
    {
        if (!_accounts.TryGetValue(address, out var a) || a.IsEmpty) return Hash256.Zero;
        return Keccak256.Compute(a.Code);
    }

    public ReadOnlyMemory<byte> GetCode(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Code : ReadOnlyMemory<byte>.Empty;

    public UInt256 GetStorage(in Address address, in UInt256 key) => Storage(address, key);

    public UInt256 GetOriginalStorage(in Address address, in UInt256 key)
        => _original.TryGetValue(address, out var s) && s.TryGetValue(key, out var v) ? v : default;

    public void SetStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        var s = Account(address).Storage;
        if (value.IsZero) s.Remove(key); else s[key] = value;
    }

    public UInt256 GetTransientStorage(in Address address, in UInt256 key)
        => _transient.TryGetValue((address, key), out var v) ? v : default;

    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value) => _transient[(address, key)] = value;

    public AccessStatus AccessAccount(in Address address) => _warmAccounts.Add(address) ? AccessStatus.Cold : AccessStatus.Warm;

    public AccessStatus AccessStorage(in Address address, in UInt256 key) => _warmSlots.Add((address, key)) ? AccessStatus.Cold : AccessStatus.Warm;

    public void EmitLog(in Address address, ReadOnlySpan<byte> data, ReadOnlySpan<UInt256> topics)
        => Logs.Add(new TestLog(address, data.ToArray(), topics.ToArray()));

    public bool SelfDestruct(in Address address, in Address beneficiary)
    {
        var self = Account(address);
        var balance = self.Balance;
        self.Balance = default;
        UInt256.Add(Account(beneficiary).Balance, balance, out var sum);
        Account(beneficiary).Balance = sum;
        return _destructed.Add(address);
    }

    public bool IsDestructed(Address address) => _destructed.Contains(address);

    public Hash256 GetBlockHash(long number) => Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture)));

    public ExecutionResult Call(in Message message)
    {
        Calls.Add(message with { Input = message.Input.ToArray() }); // the engines pass a view of the caller's memory
        if (message.Kind is CallKind.Create or CallKind.Create2) return Create(message);

        var snapshot = TakeSnapshot();
        if (message.Kind == CallKind.Call && !message.Value.IsZero) Transfer(message.Sender, message.Recipient, message.Value);
        ExecutionResult result;
        var precompile = PrecompileRegistry.Get(message.CodeAddress, Fork);
        if (precompile is not null)
        {
            long required = precompile.RequiredGas(message.Input.Span, Fork);
            if (required > message.Gas) result = ExecutionResult.Failure(StatusCode.OutOfGas);
            else if (!precompile.TryRun(message.Input.Span, Fork, out var output)) result = ExecutionResult.Failure(StatusCode.PrecompileFailure);
            else result = new ExecutionResult { Status = StatusCode.Success, GasLeft = message.Gas - required, Output = output };
        }
        else
        {
            var code = GetCode(message.CodeAddress);
            result = Engine.Execute(this, Fork, message, code, code.IsEmpty ? Hash256.Zero : Keccak256.Compute(code.Span));
        }
        if (!result.IsSuccess) RestoreSnapshot(snapshot);
        return result;
    }

    private ExecutionResult Create(in Message message)
    {
        var sender = Account(message.Sender);
        Address address = message.Kind == CallKind.Create
            ? CreateAddress(message.Sender, sender.Nonce)
            : Create2Address(message.Sender, message.Salt, message.Input.Span);
        sender.Nonce++;
        if (Fork >= Fork.Berlin) _warmAccounts.Add(address);

        var snapshot = TakeSnapshot();
        if (_accounts.TryGetValue(address, out var existing) && (existing.Code.Length != 0 || existing.Nonce != 0))
        {
            RestoreSnapshot(snapshot);
            return ExecutionResult.Failure(StatusCode.CreateCollision);
        }
        var account = Account(address);
        account.Storage.Clear();
        if (Fork >= Fork.SpuriousDragon) account.Nonce = 1;
        Transfer(message.Sender, address, message.Value);

        var msg = message with { Recipient = address, CodeAddress = address };
        var result = Engine.Execute(this, Fork, msg, message.Input, Hash256.Zero);
        if (!result.IsSuccess)
        {
            RestoreSnapshot(snapshot);
            return result;
        }
        var code = result.Output;
        long gasLeft = result.GasLeft;
        StatusCode failure = StatusCode.Success;
        if (Fork >= Fork.SpuriousDragon && code.Length > GasCosts.MaxCodeSize) failure = StatusCode.CodeSizeExceeded;
        else if (Fork >= Fork.London && code.Length > 0 && code[0] == 0xEF) failure = StatusCode.ContractValidationFailure;
        else if (GasCosts.CodeDeposit * code.Length > gasLeft)
        {
            if (Fork >= Fork.Homestead) failure = StatusCode.OutOfGas;
            else code = [];
        }
        else gasLeft -= GasCosts.CodeDeposit * code.Length;
        if (failure != StatusCode.Success)
        {
            RestoreSnapshot(snapshot);
            return ExecutionResult.Failure(failure);
        }
        account.Code = code;
        return new ExecutionResult { Status = StatusCode.Success, GasLeft = gasLeft, GasRefund = result.GasRefund, Output = [], CreatedAddress = address };
    }

    private void Transfer(Address from, Address to, UInt256 value)
    {
        var f = Account(from);
        var t = Account(to);
        if (value.IsZero) return;
        UInt256.Subtract(f.Balance, value, out var fb);
        f.Balance = fb;
        UInt256.Add(t.Balance, value, out var tb);
        t.Balance = tb;
    }

    /// <summary>keccak256(rlp([sender, nonce]))[12..] (Yellow Paper).</summary>
    public static Address CreateAddress(Address sender, ulong nonce)
    {
        var nonceBytes = new List<byte>();
        if (nonce == 0) nonceBytes.Add(0x80);
        else if (nonce < 0x80) nonceBytes.Add((byte)nonce);
        else
        {
            var be = new UInt256(nonce).ToBigEndianBytes().SkipWhile(b => b == 0).ToArray();
            nonceBytes.Add((byte)(0x80 + be.Length));
            nonceBytes.AddRange(be);
        }
        var payload = new List<byte> { 0x94 };
        payload.AddRange(sender.ToBytes());
        payload.AddRange(nonceBytes);
        payload.Insert(0, (byte)(0xc0 + payload.Count));
        return AddressOfHash(Keccak256.Compute(payload.ToArray()));
    }

    /// <summary>keccak256(0xff ‖ sender ‖ salt ‖ keccak256(initcode))[12..] (EIP-1014).</summary>
    public static Address Create2Address(Address sender, UInt256 salt, ReadOnlySpan<byte> initCode)
    {
        var buf = new byte[1 + 20 + 32 + 32];
        buf[0] = 0xff;
        sender.WriteTo(buf.AsSpan(1, 20));
        salt.WriteBigEndian(buf.AsSpan(21, 32));
        Keccak256.Compute(initCode).WriteTo(buf.AsSpan(53, 32));
        return AddressOfHash(Keccak256.Compute(buf));
    }

    private static Address AddressOfHash(Hash256 h) => new(h.ToBytes().AsSpan(12, 20));

    private sealed record Snapshot(
        Dictionary<Address, TestAccount> Accounts,
        Dictionary<(Address, UInt256), UInt256> Transient,
        HashSet<Address> WarmAccounts,
        HashSet<(Address, UInt256)> WarmSlots,
        HashSet<Address> Destructed,
        int LogCount);

    private Snapshot TakeSnapshot()
    {
        var accounts = new Dictionary<Address, TestAccount>();
        foreach (var (k, v) in _accounts) accounts[k] = v.Clone();
        return new Snapshot(accounts, new(_transient), new(_warmAccounts), new(_warmSlots), new(_destructed), Logs.Count);
    }

    private void RestoreSnapshot(Snapshot s)
    {
        _accounts = s.Accounts;
        _transient = s.Transient;
        _warmAccounts = s.WarmAccounts;
        _warmSlots = s.WarmSlots;
        _destructed = s.Destructed;
        Logs.RemoveRange(s.LogCount, Logs.Count - s.LogCount);
    }
}
