using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests;

/// <summary>One log call: its formatted message, the exception passed with it, and the scope values around it.</summary>
internal sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyList<KeyValuePair<string, object?>> Scope, EventId EventId = default)
{
    /// <summary>Everything a log sink would write: the message, the exception's type and message, the scope values.</summary>
    public string Text =>
        string.Join(" | ", new[] { Message, Exception is null ? null : Exception.GetType().Name + ": " + Exception.Message }
            .Concat(Scope.Select(s => s.Key + "=" + s.Value))
            .OfType<string>());
}

/// <summary>A logger provider that keeps every entry in memory, so tests check what the app logs (and that no patient data is in it).</summary>
internal sealed class LogRecorder : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>The entries of categories starting with <c>CloudArchive.</c> (the app's own, not ASP.NET Core's).</summary>
    /// <summary>Information and above as one line each: level, category, message, and the exception's type and message.</summary>
    public IReadOnlyList<string> Lines =>
        [.. _entries.Where(e => e.Level >= LogLevel.Information).Select(e =>
            $"{e.Level} {e.Category}: {e.Message}" + (e.Exception is null ? string.Empty : $" [{e.Exception.GetType().Name}: {e.Exception.Message}]"))];

    /// <summary><see cref="Lines"/> joined, for "appears nowhere in the logs" checks.</summary>
    public string Text => string.Join("\n", Lines);

    public IReadOnlyList<LogEntry> AppEntries => [.. _entries.Where(e => e.Category.StartsWith("CloudArchive.", StringComparison.Ordinal))];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogRecorder recorder, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => recorder._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new List<KeyValuePair<string, object?>>();
            recorder._scopes.ForEachScope(
                (value, list) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                    {
                        list.AddRange(pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
                    }
                    else if (value is not null)
                    {
                        list.Add(new KeyValuePair<string, object?>(string.Empty, value));
                    }
                },
                scope);
            recorder._entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception, scope, eventId));
        }
    }
}
