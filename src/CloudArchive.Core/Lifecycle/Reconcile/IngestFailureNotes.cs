using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CloudArchive.Core.Lifecycle.Reconcile;

/// <summary>
/// Where the "last error code" of a poisoned upload comes from. The poison queue holds only the original message text,
/// and a failed delivery writes no audit line (it throws before one), so the ingest function records each failed
/// delivery's error code here, keyed by a hash of the message text, which the poison copy keeps. Reconcile reads it
/// when it quarantines the upload. Only the failure path writes; a message that succeeds after a failure removes its note.
/// </summary>
public sealed partial class IngestFailureNotes
{
    /// <summary>The code used when no failure was recorded (the process died mid-delivery, or recording failed).</summary>
    public const string UnknownCode = "unknown";

    private readonly IReconcileLedger _ledger;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the notes over the ledger.</summary>
    public IngestFailureNotes(IReconcileLedger ledger, TimeProvider? timeProvider = null, ILogger<IngestFailureNotes>? logger = null)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The key of a message: SHA-256 (hex) of its trimmed text. The text's event id is random, so the key reveals nothing.</summary>
    public static string MessageKey(string? messageText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((messageText ?? string.Empty).Trim())));

    /// <summary>A code as the audit detail grammar allows it: lowercase letters, digits and <c>.-</c>, at most 64 characters.</summary>
    public static string Normalize(string? code)
    {
        var cleaned = Disallowed().Replace((code ?? string.Empty).ToLowerInvariant(), "-").Trim('-', '.');
        cleaned = Repeated().Replace(cleaned, "-");
        return cleaned.Length == 0 ? UnknownCode : cleaned[..Math.Min(64, cleaned.Length)].TrimEnd('-', '.');
    }

    /// <summary>Records a failed delivery. Never throws: the delivery is failing already, and its own error is what matters.</summary>
    /// <param name="messageKey">The <see cref="MessageKey"/> of the message.</param>
    /// <param name="errorCode">The failure's code (normalized here).</param>
    /// <param name="delivery">The delivery that failed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public async Task RecordAsync(string messageKey, string errorCode, int delivery, CancellationToken cancellationToken)
    {
        try
        {
            await _ledger.RecordFailureAsync(messageKey, new IngestFailureNote(Normalize(errorCode), delivery, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // best effort by design: the failure being recorded is rethrown by the caller.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            _logger.LogWarning("Ingest failure note not recorded ({ErrorType}); reconcile will report the error code as unknown.", ex.GetType().Name);
        }
    }

    /// <summary>
    /// Removes the note of a message that finally succeeded (only called after a retry). Never throws: the ingest
    /// succeeded, and a note left behind is removed with its poison message or simply never read.
    /// </summary>
    public async Task ClearAsync(string messageKey, CancellationToken cancellationToken)
    {
        try
        {
            await _ledger.DeleteFailureAsync(messageKey, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // best effort by design, see above.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            _logger.LogWarning("Ingest failure note not removed ({ErrorType}).", ex.GetType().Name);
        }
    }

    /// <summary>The last recorded error code of a message, or <see cref="UnknownCode"/>.</summary>
    public async Task<string> LastErrorCodeAsync(string messageKey, CancellationToken cancellationToken) =>
        (await _ledger.GetFailureAsync(messageKey, cancellationToken).ConfigureAwait(false))?.ErrorCode ?? UnknownCode;

    [GeneratedRegex("[^a-z0-9.-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Disallowed();

    [GeneratedRegex("-{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Repeated();
}
