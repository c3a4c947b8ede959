using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Audit;

/// <summary>
/// Appends audit records to <c>log/{yyyy}/{MM}/{dd}/{HH}/{writerId}.jsonl</c>, each line chained to the previous
/// line (<see cref="AuditChain"/>). Concurrent callers are group-committed: while one append is in flight the
/// records that arrive queue up and go together, chained in arrival order, in the next single append (one storage
/// request for many records; a lone caller is never delayed). Appends are conditional on the expected length; on a
/// mismatch (412) the writer re-reads the tail and either finds its own last line there (an earlier attempt succeeded
/// but its response was lost: done, nothing written twice; an append is atomic, so the whole group landed) or
/// recomputes <c>seq</c> and <c>prevHash</c> and tries again. Every caller returns only once its own line is
/// durable. Thread-safe; one instance per writer id per process.
/// </summary>
public sealed class AuditLogWriter : IDisposable
{
    /// <summary>How much of a blob's end is read to find its last line (four maximal lines).</summary>
    internal const int TailWindow = AuditLineSerializer.MaxLineBytes * 4;

    /// <summary>At most this many records go into one append (128 maximal lines: 1 MiB, well under an append block's 4 MiB).</summary>
    internal const int MaxGroup = 128;

    private readonly IAuditLogStore _store;
    private readonly TimeProvider _time;
    private readonly int _maxAttempts;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Queue<PendingRecord> _pending = new();
    private TailState? _state;

    /// <summary>Creates a writer.</summary>
    /// <param name="store">Where the log lives.</param>
    /// <param name="writerId">Unique per process (e.g. the host instance id): lowercase letters, digits, '-'.</param>
    /// <param name="time">Clock for line times (UTC).</param>
    /// <param name="maxAttempts">How many position conflicts to absorb per append before giving up.</param>
    /// <param name="logger">Receives one warning per durable 110113 Security Alert line (codes only), which the deployed alert rule counts.</param>
    public AuditLogWriter(IAuditLogStore store, string writerId, TimeProvider time, int maxAttempts = 8, ILogger<AuditLogWriter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        if (!AuditBlobName.IsValidWriterId(writerId))
        {
            throw new ArgumentException("A writer id is lowercase letters, digits and '-' (at most 100 characters).", nameof(writerId));
        }

        _store = store;
        WriterId = writerId;
        _time = time;
        _maxAttempts = maxAttempts;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The fixed message prefix of the operational log line written for every durable 110113 line.</summary>
    /// <remarks>The security-alert rule in infra/modules/alerts.bicep searches the app's logs for it; keep them in step.</remarks>
    public const string SecurityAlertLogPrefix = "AuditSecurityAlert";

    /// <summary>This writer's id.</summary>
    public string WriterId { get; }

    /// <summary>Appends one event and returns the record as written, once it is durable.</summary>
    /// <remarks>
    /// Cancellation is honoured while the record still waits its turn; once it has been handed to an append, the
    /// call waits for that append's outcome, so a caller never walks away from a line that may yet be written.
    /// </remarks>
    /// <exception cref="AuditWriteConflictException">Lost the append race <c>maxAttempts</c> times.</exception>
    /// <exception cref="AuditLogCorruptException">The blob's last line is damaged.</exception>
    /// <exception cref="AuditStoreException">Storage failed.</exception>
    public async Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var pending = new PendingRecord(auditEvent);
        lock (_pending)
        {
            _pending.Enqueue(pending);
        }

        try
        {
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_pending)
            {
                if (!pending.Taken)
                {
                    pending.Taken = true;
                    pending.Completion.TrySetCanceled(cancellationToken);
                }
            }

            // Either cancelled above, or already part of a group in flight: its outcome is this call's outcome.
            return await pending.Completion.Task.ConfigureAwait(false);
        }

        try
        {
            if (!pending.Completion.Task.IsCompleted)
            {
                var group = TakeGroup();
                try
                {
                    foreach (var (member, record) in await AppendGroupAsync(group, CancellationToken.None).ConfigureAwait(false))
                    {
                        LogSecurityAlert(member.Event);
                        member.Completion.TrySetResult(record);
                    }
                }
                catch (Exception ex)
                {
                    foreach (var member in group)
                    {
                        member.Completion.TrySetException(ex);
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    private List<PendingRecord> TakeGroup()
    {
        var group = new List<PendingRecord>();
        lock (_pending)
        {
            while (group.Count < MaxGroup && _pending.TryDequeue(out var next))
            {
                if (!next.Taken)
                {
                    next.Taken = true;
                    group.Add(next);
                }
            }
        }

        return group;
    }

    /// <summary>
    /// Appends a group as one block and returns the members written with their records; the caller holds the gate. A
    /// member whose record cannot be serialized (too long) fails on its own and is left out, so it never fails the group.
    /// The group's own callers may have gone, so no token.
    /// </summary>
    private async Task<List<(PendingRecord Member, AuditRecord Record)>> AppendGroupAsync(List<PendingRecord> group, CancellationToken cancellationToken)
    {
        try
        {
            string blobName = string.Empty;
            for (var attempt = 1; attempt <= _maxAttempts; attempt++)
            {
                var now = _time.GetUtcNow();
                blobName = AuditBlobName.For(now, WriterId);
                if (_state is null || _state.BlobName != blobName)
                {
                    _state = await LoadTailAsync(blobName, createIfMissing: true, cancellationToken).ConfigureAwait(false);
                }

                var written = new List<(PendingRecord Member, AuditRecord Record)>(group.Count);
                var lines = new List<byte[]>(group.Count);
                var sequence = _state.LastSequence;
                var previousHash = _state.LastHash;
                var size = 0;
                foreach (var member in group)
                {
                    var record = new AuditRecord(sequence + 1, previousHash, now, WriterId, member.Event);
                    byte[] line;
                    try
                    {
                        line = AuditLineSerializer.Serialize(record);
                    }
                    catch (AuditFormatException ex)
                    {
                        member.Completion.TrySetException(ex);
                        continue;
                    }

                    sequence++;
                    previousHash = AuditChain.Hash(line);
                    size += line.Length + 1;
                    written.Add((member, record));
                    lines.Add(line);
                }

                if (written.Count == 0)
                {
                    return written;
                }

                var payload = new byte[size];
                var offset = 0;
                foreach (var line in lines)
                {
                    line.CopyTo(payload, offset);
                    offset += line.Length;
                    payload[offset++] = (byte)'\n';
                }

                var outcome = await _store.AppendAsync(blobName, payload, _state.Length, cancellationToken).ConfigureAwait(false);
                var lastLine = lines[^1];
                if (outcome == AuditAppendOutcome.Appended)
                {
                    _state = new TailState(blobName, _state.Length + payload.Length, sequence, previousHash, lastLine);
                    return written;
                }

                _state = await LoadTailAsync(blobName, createIfMissing: false, cancellationToken).ConfigureAwait(false);
                if (_state.LastLine is { } last && last.AsSpan().SequenceEqual(lastLine))
                {
                    // Our group is already there: a retried request whose first attempt succeeded.
                    return written;
                }
            }

            _state = null;
            throw new AuditWriteConflictException(blobName, _maxAttempts);
        }
        catch
        {
            // After a failure the cached tail may be stale (e.g. an append that failed on the wire may have
            // landed); the next append re-reads it.
            _state = null;
            throw;
        }
    }

    // The audit log lives in blobs, where no alert rule can see it; an operational log line (event id, action,
    // outcome and detail codes only: audit fields are codes or opaque keys by construction) lets Azure Monitor count
    // denials and tampering findings without reading the log.
    private void LogSecurityAlert(AuditEvent auditEvent)
    {
        if (auditEvent.EventType == AuditEventType.SecurityAlert)
        {
#pragma warning disable CA1848, CA2254 // one rare line; the prefix is a constant shared with the alert rule
            _logger.LogWarning(
                SecurityAlertLogPrefix + " {AuditEventId} {AuditAction} {AuditOutcome} {AuditDetails} {CorrelationId}",
                (int)auditEvent.EventType,
                auditEvent.Action,
                auditEvent.Outcome,
                string.Join(',', auditEvent.Details),
                auditEvent.CorrelationId);
#pragma warning restore CA1848, CA2254
        }
    }

    /// <summary>Releases the writer's lock object.</summary>
    public void Dispose() => _gate.Dispose();

    private async Task<TailState> LoadTailAsync(string blobName, bool createIfMissing, CancellationToken cancellationToken)
    {
        var length = await _store.GetLengthAsync(blobName, cancellationToken).ConfigureAwait(false);
        if (length is null)
        {
            if (!createIfMissing)
            {
                throw new AuditStoreException(blobName, "the blob disappeared while being written", isNotFound: true);
            }

            await _store.CreateIfNotExistsAsync(blobName, cancellationToken).ConfigureAwait(false);
            length = await _store.GetLengthAsync(blobName, cancellationToken).ConfigureAwait(false)
                ?? throw new AuditStoreException(blobName, "the blob does not exist after being created", isNotFound: true);
        }

        if (length == 0)
        {
            return new TailState(blobName, 0, 0, AuditChain.GenesisHash(blobName), null);
        }

        var start = Math.Max(0, length.Value - TailWindow);
        byte[] tail;
        var stream = await _store.OpenReadAsync(blobName, start, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            tail = buffer.ToArray();
        }

        // Other appends may have landed after GetLength; only the bytes up to the measured length count,
        // so the state stays consistent with the position used for the next conditional append.
        var usable = (int)Math.Min(tail.Length, length.Value - start);
        if (usable <= 0 || tail[usable - 1] != (byte)'\n')
        {
            throw new AuditLogCorruptException(blobName, "the last line is incomplete (no line feed at the end)");
        }

        var end = usable - 1;
        var lineStart = Array.LastIndexOf(tail, (byte)'\n', end - 1 < 0 ? 0 : end - 1, end) + 1;
        if (end == 0 || (lineStart == 0 && start > 0))
        {
            throw new AuditLogCorruptException(blobName, $"the last line is empty or longer than {AuditLineSerializer.MaxLineBytes} bytes");
        }

        var line = tail.AsSpan(lineStart, end - lineStart).ToArray();
        AuditRecord last;
        try
        {
            last = AuditLineSerializer.Parse(line);
        }
        catch (AuditFormatException ex)
        {
            throw new AuditLogCorruptException(blobName, "the last line is not a valid audit record", ex);
        }

        return new TailState(blobName, length.Value, last.Sequence, AuditChain.Hash(line), line);
    }

    private sealed record TailState(string BlobName, long Length, long LastSequence, string LastHash, byte[]? LastLine);

    /// <summary>A caller's record waiting for (or in) a group; <see cref="Taken"/> is guarded by the queue's lock.</summary>
    private sealed class PendingRecord(AuditEvent auditEvent)
    {
        public AuditEvent Event { get; } = auditEvent;

        public TaskCompletionSource<AuditRecord> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Taken { get; set; }
    }
}
