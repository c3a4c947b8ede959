using CloudArchive.Core.Audit;
using Microsoft.Extensions.Logging;
using Xunit;

namespace CloudArchive.Core.Tests.Audit;

/// <summary>
/// The deployed alert on 110113 counts log lines that start with <see cref="AuditLogWriter.SecurityAlertLogPrefix"/>:
/// exactly one per durable security-alert line, none for anything else, and nothing but codes in it.
/// </summary>
public sealed class SecurityAlertLogLineTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AuditEvent Alert() => new()
    {
        EventType = AuditEventType.SecurityAlert,
        Action = AuditAction.Read,
        Outcome = AuditOutcome.MinorFailure,
        Actor = new AuditActor("3f2b8c1e-0d4a-4e4b-9a51-0a1b2c3d4e5f", upn: "rad.one@hospital.example", app: "cloudarchive-functions", role: "researcher"),
        AgreementId = "demo-ct",
        CorrelationId = "inv-42",
        Details = ["not-recipient"],
    };

    [Fact]
    public async Task A_written_security_alert_logs_one_warning_with_codes_only_and_other_events_log_none()
    {
        var logger = new CapturingLogger();
        using var writer = new AuditLogWriter(new InMemoryAuditLogStore(), "func-1", new ManualTimeProvider(AuditSamples.Start), logger: logger);

        await writer.AppendAsync(AuditSamples.Import(1), Ct);
        await writer.AppendAsync(Alert(), Ct);
        await writer.AppendAsync(AuditSamples.Read(), Ct);

        var (level, message) = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.StartsWith(AuditLogWriter.SecurityAlertLogPrefix + " 110113 ", message, StringComparison.Ordinal);
        Assert.Contains("not-recipient", message, StringComparison.Ordinal);
        Assert.Contains("inv-42", message, StringComparison.Ordinal);
        Assert.DoesNotContain("rad.one", message, StringComparison.Ordinal);
        Assert.DoesNotContain("3f2b8c1e", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_security_alert_that_could_not_be_written_logs_no_alert_line()
    {
        var logger = new CapturingLogger();
        var store = new InMemoryAuditLogStore();
        store.BeforeAppend = (_, _) => throw new AuditStoreException("any", "storage down");
        using var writer = new AuditLogWriter(store, "func-1", new ManualTimeProvider(AuditSamples.Start), maxAttempts: 1, logger: logger);

        await Assert.ThrowsAnyAsync<Exception>(() => writer.AppendAsync(Alert(), Ct));

        Assert.DoesNotContain(logger.Entries, e => e.Message.StartsWith(AuditLogWriter.SecurityAlertLogPrefix, StringComparison.Ordinal));
    }

    private sealed class CapturingLogger : ILogger<AuditLogWriter>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Entries.Add((logLevel, formatter(state, exception)));
    }
}
