using System.Net;
using CloudArchive.Cli.Commands.Common;

namespace CloudArchive.Cli.Commands.Status;

/// <summary>
/// Asks the function app whether it is up: <c>GET {base}/admin/host/status</c>, which the Functions host and the
/// local host both serve. In Azure the host wants its master key there, so a 401 or 403 still proves the app is up.
/// The base URL is the setting <see cref="UrlSetting"/> (<c>dev up</c> writes it).
/// </summary>
internal static class FunctionAppProbe
{
    /// <summary>The setting naming the function app's base URL (also the research API's).</summary>
    public const string UrlSetting = "CloudArchive:ResearchApi:Url";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Probes the app named by <paramref name="settings"/>.</summary>
    public static async Task<FunctionAppHealth> ProbeAsync(ArchiveSettings settings, CancellationToken cancellationToken)
    {
        var url = settings[UrlSetting];
        if (url is null || !Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
        {
            return new FunctionAppHealth("not-configured", null, $"set {UrlSetting} (env CloudArchive__ResearchApi__Url) to the app's base URL");
        }

        // Shown without user info or a query: a URL setting could carry a function key (?code=...).
        var shown = baseUri.GetLeftPart(UriPartial.Path);
        using var http = new HttpClient { Timeout = Timeout };
        try
        {
            using var response = await http.GetAsync(new Uri(baseUri, "admin/host/status"), cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.OK => new FunctionAppHealth("running", shown, "host status 200"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new FunctionAppHealth("reachable", shown, $"host status needs a key ({(int)response.StatusCode})"),
                _ => new FunctionAppHealth("down", shown, $"host status answered {(int)response.StatusCode}"),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new FunctionAppHealth("down", shown, ex is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : "not reachable (" + (ex.InnerException?.Message ?? ex.Message) + ")");
        }
    }
}
