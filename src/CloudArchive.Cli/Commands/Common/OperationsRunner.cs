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
    public static async Task<int> RunAsync(TextWriter error, Func<Task<int>> run, CancellationToken cancellationToken)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (Azure.Composition.ArchiveConfigurationException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (FormatException ex)
        {
            await error.WriteLineAsync("error: invalid configuration: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (StorageRequestException ex) when (ex.IsUnreachable)
        {
            await error.WriteLineAsync($"error: storage is not reachable ({ex.Message}). Is Azurite running (`cloudarchive dev up`)?").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (Azure.Storage.InsecureStorageTransportException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        catch (StorageRequestException ex)
        {
            await error.WriteLineAsync($"error: storage request failed: {ex.Operation} answered {ex.Status} {ex.ErrorCode} (request id {ex.RequestId})"
                + (ex.IsAuthenticationFailure ? " — check the account key / credentials." : string.Empty)).ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            // Azure.Core reports transport failures (connection refused, DNS) as RequestFailedException with status 0.
            await error.WriteLineAsync($"error: storage is not reachable ({ReachabilityReason(ex)}). Is Azurite running (`cloudarchive dev up`)?").ConfigureAwait(false);
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
    }

    /// <summary>
    /// True for "could not talk to storage": a transport error, Azure.Core's status-0 <c>RequestFailedException</c>, or
    /// the <see cref="AggregateException"/> its retry policy throws when every attempt failed that way.
    /// </summary>
    public static bool IsTransportFailure(Exception ex) => ex switch
    {
        HttpRequestException => true,
        global::Azure.RequestFailedException r => r.Status == 0,
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsTransportFailure),
        _ => false,
    };

    /// <summary>A short, secret-free reason for a transport failure.</summary>
    public static string ReachabilityReason(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e is AggregateException a && a.InnerExceptions.Count > 0 ? a.InnerExceptions[0] : e.InnerException)
        {
            if (e is HttpRequestException http)
            {
                return http.HttpRequestError.ToString();
            }
        }

        return ex.GetType().Name;
    }

    /// <summary>A Spectre console writing to the invocation's output (tests capture it; colours only on a terminal).</summary>
    public static IAnsiConsole Console(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output (files, CI logs, greps): wide enough that table cells are not wrapped mid-sentence.
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>Shared <c>--settings</c> option: a KEY=VALUE file (the format of .cloudarchive/dev.env).</summary>
    public static System.CommandLine.Option<string?> SettingsFileOption() =>
        new("--settings") { Description = "A KEY=VALUE settings file (e.g. .cloudarchive/dev.env); wins over environment variables" };

    /// <summary>Shared <c>--connection-string</c> option.</summary>
    public static System.CommandLine.Option<string?> ConnectionStringOption() =>
        new("--connection-string") { Description = "Storage connection string (default: CloudArchive__Storage__ConnectionString, else the one `dev up` wrote to .cloudarchive/dev.env)" };
}
