using CloudArchive.Azure.Storage;
using Spectre.Console;

namespace CloudArchive.Cli.Commands.Common;

/// <summary>
/// Runs an operational command with uniform error handling: configuration problems exit 2 with the hint,
/// storage failures exit 3 with status, error code and request id (never the account key or a SAS), and
/// cancellation (Ctrl+C) exits 130.
/// </summary>
internal static class OperationsRunner
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int StorageError = 3;
    public const int Cancelled = 130;

    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> run, CancellationToken cancellationToken)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return Usage;
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync("error: invalid configuration: " + ex.Message).ConfigureAwait(false);
            return Usage;
        }
        catch (StorageRequestException ex)
        {
            await error.WriteLineAsync($"error: storage request failed: {ex.Operation} answered {ex.Status} {ex.ErrorCode} (request id {ex.RequestId})"
                + (ex.IsAuthenticationFailure ? " — check the account key / credentials." : string.Empty)).ConfigureAwait(false);
            return StorageError;
        }
        catch (HttpRequestException ex)
        {
            await error.WriteLineAsync($"error: storage is not reachable ({ex.HttpRequestError}). Is Azurite running (`cloudarchive dev up`)?").ConfigureAwait(false);
            return StorageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return Cancelled;
        }
    }

    /// <summary>A Spectre console writing to the invocation's output (tests capture it; colours only on a terminal).</summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
    }

    /// <summary>Shared <c>--connection-string</c> option.</summary>
    public static System.CommandLine.Option<string?> ConnectionStringOption() =>
        new("--connection-string") { Description = "Storage connection string (default: CloudArchive__Storage__ConnectionString, else the one `dev up` wrote to .cloudarchive/dev.env)" };
}
