using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CloudArchive.Functions.Tests.Export;

/// <summary>A logger provider keeping every formatted line (with the exception's type and message), so tests can check what the app logs and what it never logs.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Text => string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = $"{logLevel} {category}: {formatter(state, exception)}";
            owner._lines.Enqueue(exception is null ? line : $"{line} [{exception.GetType().Name}: {exception.Message}]");
        }
    }
}
