namespace CloudArchive.Cli.Commands.Status;

/// <summary>Whether the function app answered its host status endpoint.</summary>
/// <param name="State"><c>running</c>, <c>reachable</c> (answered, but wants a key or a token), <c>down</c> or <c>not-configured</c>.</param>
/// <param name="Url">The base URL probed, or null when none is configured.</param>
/// <param name="Detail">What was seen (status code or the reason it could not connect).</param>
internal sealed record FunctionAppHealth(string State, string? Url, string Detail)
{
    /// <summary>Whether the state is a problem.</summary>
    public bool IsDown => State == "down";
}
