using Jevm;
using Jevm.Crypto;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Primitives;
using Jevm.State;

namespace Erc20Host;

/// <summary>One account of the sample's state.</summary>
public sealed class AccountData
{
    /// <summary>The nonce.</summary>
    public ulong Nonce;
    /// <summary>The balance in wei.</summary>
    public UInt256 Balance;
    /// <summary>The code.</summary>
    public byte[] Code = [];
    /// <summary>keccak256 of the code.</summary>
    public Hash256 CodeHash = Keccak256.OfEmpty;
    /// <summary>The storage.</summary>
    public Dictionary<UInt256, UInt256> Storage = new();

    /// <summary>A deep copy (for snapshots).</summary>
    public AccountData Copy() => new() { Nonce = Nonce, Balance = Balance, Code = Code, CodeHash = CodeHash, Storage = new(Storage) };
}

/// <summary>A log record.</summary>
public sealed record LogRecord(Address Address, UInt256[] Topics, byte[] Data);

/// <summary>
/// What a client writes to adopt Jevm: an <see cref="IEvmHost"/> over its own state (here: dictionaries). The EVM asks
/// it for balances, code and storage, and hands it nested calls and creates, which it runs by calling the
/// <see cref="EvmExecutor"/> again inside a snapshot. Snapshots are whole copies — fine for a sample, not for a client.
/// </summary>
public sealed class DictionaryHost(EvmExecutor evm, TxContext context) : IEvmHost
{
    private const int MaxCodeSize = 24576;          // EIP-170
    private const long CodeDepositGasPerByte = 200; // Yellow Paper G_codedeposit

    private Dictionary<Address, AccountData> _accounts = new();
    private readonly Dictionary<(Address, UInt256), UInt256> _original = new();
    private readonly Dictionary<(Address, UInt256), UInt256> _transient = new();
    private readonly HashSet<Address> _warmAccounts = new();
    private readonly HashSet<(Address, UInt256)> _warmSlots = new();
    private List<LogRecord> _logs = new();

    /// <inheritdoc/>
    public TxContext Context { get; set; } = context;

    /// <summary>The logs of everything run so far.</summary>
    public IReadOnlyList<LogRecord> Logs => _logs;

    /// <summary>The account at <paramref name="address"/>, created when missing.</summary>
    public AccountData Account(in Address address)
    {
        if (!_accounts.TryGetValue(address, out var a)) _accounts[address] = a = new AccountData();
        return a;
    }

    /// <summary>Starts a new transaction: clears the access lists, transient storage and original values.</summary>
    public void BeginTransaction()
    {
        _original.Clear();
        _transient.Clear();
        _warmAccounts.Clear();
        _warmSlots.Clear();
    }

    /// <inheritdoc/>
    public bool AccountExists(in Address address) =>
        _accounts.TryGetValue(address, out var a) && (a.Nonce != 0 || !a.Balance.IsZero || a.Code.Length != 0);

    /// <inheritdoc/>
    public UInt256 GetBalance(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Balance : UInt256.Zero;

    /// <inheritdoc/>
    public int GetCodeSize(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Code.Length : 0;

    /// <inheritdoc/>
    public Hash256 GetCodeHash(in Address address) => AccountExists(address) ? _accounts[address].CodeHash : Hash256.Zero;

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> GetCode(in Address address) => _accounts.TryGetValue(address, out var a) ? a.Code : ReadOnlyMemory<byte>.Empty;

    /// <inheritdoc/>
    public UInt256 GetStorage(in Address address, in UInt256 key) =>
        _accounts.TryGetValue(address, out var a) && a.Storage.TryGetValue(key, out var v) ? v : UInt256.Zero;

    /// <inheritdoc/>
    public UInt256 GetOriginalStorage(in Address address, in UInt256 key) =>
        _original.TryGetValue((address, key), out var v) ? v : GetStorage(address, key);

    /// <inheritdoc/>
    public void SetStorage(in Address address, in UInt256 key, in UInt256 value)
    {
        _original.TryAdd((address, key), GetStorage(address, key)); // first write in the transaction keeps the original
        var storage = Account(address).Storage;
        if (value.IsZero) storage.Remove(key);
        else storage[key] = value;
    }

    /// <inheritdoc/>
    public UInt256 GetTransientStorage(in Address address, in UInt256 key) =>
        _transient.TryGetValue((address, key), out var v) ? v : UInt256.Zero;

    /// <inheritdoc/>
    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value) => _transient[(address, key)] = value;

    /// <inheritdoc/>
    public AccessStatus AccessAccount(in Address address) => _warmAccounts.Add(address) ? AccessStatus.Cold : AccessStatus.Warm;

    /// <inheritdoc/>
    public AccessStatus AccessStorage(in Address address, in UInt256 key) => _warmSlots.Add((address, key)) ? AccessStatus.Cold : AccessStatus.Warm;

    /// <inheritdoc/>
    public void EmitLog(in Address address, ReadOnlySpan<byte> data, ReadOnlySpan<UInt256> topics) =>
        _logs.Add(new LogRecord(address, topics.ToArray(), data.ToArray()));

    /// <inheritdoc/>
    public bool SelfDestruct(in Address address, in Address beneficiary)
    {
        // Cancun (EIP-6780) semantics reduced to the balance move: the sample never creates and destroys in one transaction.
        var balance = GetBalance(address);
        Account(address).Balance = UInt256.Zero;
        Account(beneficiary).Balance += balance;
        return true;
    }

    /// <inheritdoc/>
    public Hash256 GetBlockHash(long number) => Hash256.Zero;

    /// <inheritdoc/>
    public ExecutionResult Call(in Message message)
    {
        if (message.Depth > 1024) return new ExecutionResult { Status = StatusCode.CallDepthExceeded, GasLeft = message.Gas, Output = [] };
        if (GetBalance(message.Sender) < message.Value && message.Kind != CallKind.DelegateCall)
            return new ExecutionResult { Status = StatusCode.InsufficientBalance, GasLeft = message.Gas, Output = [] };

        var snapshot = TakeSnapshot();
        ExecutionResult result;
        if (message.Kind is CallKind.Create or CallKind.Create2) result = Create(message);
        else
        {
            if (message.Kind is CallKind.Call or CallKind.CallCode) Transfer(message.Sender, message.Recipient, message.Value);
            result = evm.Execute(this, message);
        }
        if (!result.IsSuccess) Restore(snapshot);
        return result;
    }

    private ExecutionResult Create(in Message message)
    {
        var creator = Account(message.Sender);
        var address = message.Kind == CallKind.Create
            ? StateHost.CreateAddress(message.Sender, creator.Nonce)
            : StateHost.Create2Address(message.Sender, message.Salt, message.Input.Span);
        creator.Nonce++;
        AccessAccount(address);
        if (_accounts.TryGetValue(address, out var existing) && (existing.Nonce != 0 || existing.Code.Length != 0))
            return ExecutionResult.Failure(StatusCode.CreateCollision);
        Account(address).Nonce = 1;
        Transfer(message.Sender, address, message.Value);

        var result = evm.Execute(this, message with { Recipient = address, CodeAddress = address });
        if (!result.IsSuccess) return result;
        byte[] code = result.Output;
        long deposit = code.Length * CodeDepositGasPerByte;
        if (code.Length > MaxCodeSize || (code.Length > 0 && code[0] == 0xEF) || deposit > result.GasLeft)
            return ExecutionResult.Failure(StatusCode.OutOfGas);
        var account = Account(address);
        account.Code = code;
        account.CodeHash = Keccak256.Compute(code);
        return result with { GasLeft = result.GasLeft - deposit, Output = [], CreatedAddress = address };
    }

    private void Transfer(in Address from, in Address to, in UInt256 value)
    {
        if (value.IsZero) return;
        Account(from).Balance -= value;
        Account(to).Balance += value;
    }

    private (Dictionary<Address, AccountData>, List<LogRecord>, Dictionary<(Address, UInt256), UInt256>) TakeSnapshot()
    {
        var accounts = new Dictionary<Address, AccountData>(_accounts.Count);
        foreach (var (k, v) in _accounts) accounts[k] = v.Copy();
        return (accounts, new List<LogRecord>(_logs), new Dictionary<(Address, UInt256), UInt256>(_transient));
    }

    private void Restore((Dictionary<Address, AccountData> Accounts, List<LogRecord> Logs, Dictionary<(Address, UInt256), UInt256> Transient) s)
    {
        _accounts = s.Accounts;
        _logs = s.Logs;
        _transient.Clear();
        foreach (var (k, v) in s.Transient) _transient[k] = v;
    }
}
