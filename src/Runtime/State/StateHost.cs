using System.Globalization;
using System.Runtime.CompilerServices;
using Jevm.Crypto;
using Jevm.Encoding;
using Jevm.Evm;
using Jevm.Numerics;
using Jevm.Precompiles;
using Jevm.Primitives;

namespace Jevm.State;

/// <summary>
/// The <see cref="IEvmHost"/> over a <see cref="WorldState"/> for one transaction: answers the engine's questions,
/// applies its changes, and runs nested calls and creates (snapshot, value transfer, precompiles, code on the engine,
/// revert on failure).
/// </summary>
public sealed class StateHost : IEvmHost
{
    private const int MaxCodeSize = 24576;           // EIP-170
    private const long CodeDepositGasPerByte = 200;

    private readonly WorldState _state;
    private readonly Fork _fork;
    private readonly IExecutionEngine _engine;

    /// <summary>Creates a host for one transaction.</summary>
    public StateHost(WorldState state, Fork fork, IExecutionEngine engine, TxContext context)
    {
        _state = state;
        _fork = fork;
        _engine = engine;
        Context = context;
    }

    /// <inheritdoc/>
    public TxContext Context { get; }

    /// <summary>The state the host works on.</summary>
    public WorldState State => _state;

    /// <summary>The fork whose rules apply.</summary>
    public Fork Fork => _fork;

    /// <summary>
    /// The first precompile that was called but is not implemented yet (its result was a failure), or null. A runner
    /// reports such a case as skipped rather than judging it.
    /// </summary>
    public Address? UnimplementedPrecompile { get; private set; }

    /// <inheritdoc/>
    public bool AccountExists(in Address address)
    {
        var a = _state.Get(address);
        if (a is null) return false;
        return _fork < Fork.SpuriousDragon || !a.IsEmpty;
    }

    /// <inheritdoc/>
    public UInt256 GetBalance(in Address address) => _state.GetBalance(address);

    /// <inheritdoc/>
    public int GetCodeSize(in Address address) => _state.GetCode(address).Length;

    /// <inheritdoc/>
    public Hash256 GetCodeHash(in Address address)
    {
        var a = _state.Get(address);
        return a is null || a.IsEmpty ? Hash256.Zero : a.CodeHash;
    }

    /// <inheritdoc/>
    public ReadOnlyMemory<byte> GetCode(in Address address) => _state.GetCode(address);

    /// <inheritdoc/>
    public UInt256 GetStorage(in Address address, in UInt256 key) => _state.GetStorage(address, key);

    /// <inheritdoc/>
    public UInt256 GetOriginalStorage(in Address address, in UInt256 key) => _state.GetOriginalStorage(address, key);

    /// <inheritdoc/>
    public void SetStorage(in Address address, in UInt256 key, in UInt256 value) => _state.SetStorage(address, key, value);

    /// <inheritdoc/>
    public UInt256 GetTransientStorage(in Address address, in UInt256 key) => _state.GetTransientStorage(address, key);

    /// <inheritdoc/>
    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value) => _state.SetTransientStorage(address, key, value);

    /// <inheritdoc/>
    public AccessStatus AccessAccount(in Address address) => _state.WarmAccount(address) ? AccessStatus.Cold : AccessStatus.Warm;

    /// <inheritdoc/>
    public AccessStatus AccessStorage(in Address address, in UInt256 key) => _state.WarmSlot(address, key) ? AccessStatus.Cold : AccessStatus.Warm;

    /// <inheritdoc/>
    public void LoadStorage(in Address address, ref UInt256 slot, bool trackAccess, out AccessStatus access)
    {
        // The cache hit inline, the rest a call in tail position: nothing is live across it, so the hit saves two
        // registers where it saved six (with a value returned from both paths, RyuJIT also joined them in a temporary
        // the hit copied through).
        if (trackAccess)
        {
            ref readonly var hit = ref _state.CachedWarmSlot(address, slot);
            if (!Unsafe.IsNullRef(in hit))
            {
                access = AccessStatus.Warm;
                slot = hit;
                return;
            }
        }
        LoadStorageMiss(address, ref slot, trackAccess, out access);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void LoadStorageMiss(in Address address, ref UInt256 slot, bool trackAccess, out AccessStatus access)
    {
        slot = _state.LoadStorageMiss(address, slot, trackAccess, out bool wasCold);
        access = wasCold ? AccessStatus.Cold : AccessStatus.Warm;
    }

    /// <inheritdoc/>
    public void ReadSlotForStore(in Address address, in UInt256 key, bool trackAccess, out UInt256 current, out UInt256 original, out AccessStatus access)
    {
        _state.ReadSlotForStore(address, key, trackAccess, out current, out original, out bool wasCold);
        access = wasCold ? AccessStatus.Cold : AccessStatus.Warm;
    }

    /// <inheritdoc/>
    public void EmitLog(in Address address, ReadOnlySpan<byte> data, ReadOnlySpan<UInt256> topics) =>
        _state.AddLog(new LogEntry(address, topics.ToArray(), data.ToArray()));

    /// <inheritdoc/>
    public bool SelfDestruct(in Address address, in Address beneficiary)
    {
        var balance = _state.GetBalance(address);
        if (_fork >= Fork.Cancun && !_state.IsCreatedInTransaction(address))
        {
            // EIP-6780: only the balance moves; to itself, nothing happens.
            if (address != beneficiary)
            {
                _state.AddBalance(beneficiary, balance);
                _state.SetBalance(address, UInt256.Zero);
            }
            else
            {
                _state.Touch(address);
            }
            return false;
        }
        _state.AddBalance(beneficiary, balance);
        _state.SetBalance(address, UInt256.Zero); // to itself: the balance is burned
        return _state.MarkDestructed(address);
    }

    /// <inheritdoc/>
    public Hash256 GetBlockHash(long number) => Context.BlockHashes is { } blockHashes ? blockHashes(number) :
        Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(number.ToString(CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    public ExecutionResult Call(in Message message)
    {
        try
        {
            return message.Kind is CallKind.Create or CallKind.Create2 ? Create(message) : CallFrame(message);
        }
        catch (InsufficientExecutionStackException e)
        {
            return new ExecutionResult { Status = StatusCode.InternalError, Output = [], Error = e };
        }
    }

    private ExecutionResult CallFrame(in Message msg)
    {
        bool isPrecompile = PrecompileRegistry.IsPrecompile(msg.CodeAddress, _fork);
        if (msg.Kind == CallKind.Call && !_state.Exists(msg.Recipient) && !isPrecompile
            && _fork >= Fork.SpuriousDragon && msg.Value.IsZero)
        {
            // EIP-161: a zero-value call to a missing account neither creates nor touches it, and there is no code.
            return new ExecutionResult { Status = StatusCode.Success, GasLeft = msg.Gas, Output = [] };
        }
        int snapshot = _state.Snapshot();
        if (msg.Kind is CallKind.Call or CallKind.CallCode)
        {
            if (_state.GetBalance(msg.Sender) < msg.Value)
                return new ExecutionResult { Status = StatusCode.InsufficientBalance, GasLeft = msg.Gas, Output = [] };
            Transfer(msg.Sender, msg.Recipient, msg.Value);
        }

        ExecutionResult result;
        if (isPrecompile) result = RunPrecompile(msg);
        else
        {
            var account = _state.Get(msg.CodeAddress);
            // EIP-7702: a delegated account runs its delegate's code (one level only: the delegate's own designator is
            // not followed, and a precompile as delegate runs as an account without code).
            if (_fork >= Fork.Prague && account is not null && Delegation.TryGetTarget(account.Code, out var delegate_))
                account = _state.Get(delegate_);
            if (account is null || account.Code.Length == 0)
                return new ExecutionResult { Status = StatusCode.Success, GasLeft = msg.Gas, Output = [] };
            // An exception (e.g. thrown by a host callback) surfaces to the caller with this frame's changes undone.
            // A finally, not catch-and-rethrow: rethrowing from a catch at each of 1024 frames nests the exception
            // dispatch and overflows the stack.
            bool completed = false;
            try
            {
                result = _engine.Execute(this, _fork, msg, account.Code, account.CodeHash);
                completed = true;
            }
            finally
            {
                if (!completed) _state.Revert(snapshot);
            }
        }
        if (!result.IsSuccess) _state.Revert(snapshot);
        return result;
    }

    private ExecutionResult RunPrecompile(in Message msg)
    {
        var precompile = PrecompileRegistry.Get(msg.CodeAddress, _fork);
        if (precompile is null)
        {
            UnimplementedPrecompile ??= msg.CodeAddress;
            return ExecutionResult.Failure(StatusCode.PrecompileFailure);
        }
        var input = msg.Input.Span;
        long required = precompile.RequiredGas(input, _fork);
        if (required > msg.Gas || required < 0) return ExecutionResult.Failure(StatusCode.OutOfGas);
        if (!precompile.TryRun(input, _fork, out var output)) return ExecutionResult.Failure(StatusCode.PrecompileFailure);
        return new ExecutionResult { Status = StatusCode.Success, GasLeft = msg.Gas - required, Output = output };
    }

    private void Transfer(in Address from, in Address to, in UInt256 value)
    {
        // Both sides are touched even for zero (EIP-161); the sender's balance was checked by the caller.
        _state.SubtractBalance(from, value);
        _state.AddBalance(to, value);
    }

    private ExecutionResult Create(in Message msg)
    {
        ulong nonce = _state.GetNonce(msg.Sender);
        if (nonce == ulong.MaxValue)
            return new ExecutionResult { Status = StatusCode.NonceOverflow, GasLeft = msg.Gas, Output = [] };
        if (_state.GetBalance(msg.Sender) < msg.Value)
            return new ExecutionResult { Status = StatusCode.InsufficientBalance, GasLeft = msg.Gas, Output = [] };
        _state.SetNonce(msg.Sender, nonce + 1);

        Address address = msg.Kind == CallKind.Create
            ? CreateAddress(msg.Sender, nonce)
            : Create2Address(msg.Sender, msg.Salt, msg.Input.Span);
        if (_fork >= Fork.Berlin) _state.WarmAccount(address);

        var existing = _state.Get(address);
        if (existing is not null && (existing.Code.Length != 0 || existing.Nonce != 0 || existing.HasStorage()))
            return ExecutionResult.Failure(StatusCode.CreateCollision);

        int snapshot = _state.Snapshot();
        _state.CreateContract(address, _fork >= Fork.SpuriousDragon ? 1UL : 0UL);
        Transfer(msg.Sender, address, msg.Value);

        // Init code runs with empty call data: the message's input is the code itself.
        var frame = msg with { Recipient = address, CodeAddress = address, Input = ReadOnlyMemory<byte>.Empty };
        ExecutionResult result;
        bool completed = false;
        try
        {
            result = _engine.Execute(this, _fork, frame, msg.Input, Hash256.Zero);
            completed = true;
        }
        finally
        {
            if (!completed) _state.Revert(snapshot); // as in CallFrame: the exception surfaces, the changes do not
        }
        if (!result.IsSuccess)
        {
            _state.Revert(snapshot);
            return result;
        }

        byte[] code = result.Output ?? [];
        StatusCode failure = StatusCode.Success;
        if (_fork >= Fork.SpuriousDragon && code.Length > MaxCodeSize) failure = StatusCode.CodeSizeExceeded;
        else if (_fork >= Fork.London && code.Length > 0 && code[0] == 0xEF) failure = StatusCode.ContractValidationFailure;
        long gasLeft = result.GasLeft;
        long deposit = code.Length * CodeDepositGasPerByte;
        if (failure == StatusCode.Success)
        {
            if (gasLeft >= deposit)
            {
                gasLeft -= deposit;
                _state.SetCode(address, code);
            }
            else if (_fork >= Fork.Homestead) failure = StatusCode.OutOfGas;
            // Frontier: not enough gas for the deposit leaves the account without code, and the create succeeds.
        }
        if (failure != StatusCode.Success)
        {
            _state.Revert(snapshot);
            return ExecutionResult.Failure(failure);
        }
        return result with { GasLeft = gasLeft, Output = [], CreatedAddress = address };
    }

    /// <summary>CREATE's address: keccak256(rlp([sender, nonce]))[12..].</summary>
    public static Address CreateAddress(in Address sender, ulong nonce)
    {
        Span<byte> buf = stackalloc byte[32];
        int payload = 21 + Rlp.LengthOf(nonce);
        int pos = Rlp.WriteListHeader(buf, payload);
        pos += Rlp.Write(buf[pos..], sender);
        pos += Rlp.Write(buf[pos..], nonce);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(buf[..pos], hash);
        return new Address(hash[12..]);
    }

    /// <summary>CREATE2's address: keccak256(0xff ‖ sender ‖ salt ‖ keccak256(initcode))[12..] (EIP-1014).</summary>
    public static Address Create2Address(in Address sender, in UInt256 salt, ReadOnlySpan<byte> initCode)
    {
        Span<byte> buf = stackalloc byte[85];
        buf[0] = 0xff;
        sender.WriteTo(buf.Slice(1, 20));
        salt.WriteBigEndian(buf.Slice(21, 32));
        Keccak256.Compute(initCode, buf.Slice(53, 32));
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(buf, hash);
        return new Address(hash[12..]);
    }
}
