using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace CloudArchive.Testing.Orthanc;

/// <summary>
/// A private Orthanc (the Debian package's <c>/usr/sbin/Orthanc</c>) with its DICOMweb plugin, on loopback ports,
/// with its storage in a temporary directory: a real DICOMweb client for the tests. Orthanc is optional on developer
/// machines (CI installs it), so callers check <see cref="IsInstalled"/> and skip when it is absent. The remote DICOMweb
/// servers it knows (<see cref="OrthancDicomWebServer"/>) are written into its configuration; its REST API is reached
/// through <see cref="Client"/> and the helpers here. The process is killed on dispose and at process exit.
/// </summary>
public sealed class OrthancProcess : IAsyncDisposable
{
    /// <summary>Where the Debian package installs Orthanc.</summary>
    public const string ExecutablePath = "/usr/sbin/Orthanc";

    /// <summary>Where the Debian package <c>orthanc-dicomweb</c> installs the plugin.</summary>
    public const string DicomWebPluginPath = "/usr/share/orthanc/plugins/libOrthancDicomWeb.so";

    private const int MaxStartAttempts = 3;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string _directory;
    private readonly ConcurrentQueue<string> _output;
    private readonly EventHandler _onProcessExit;
    private int _disposed;

    private OrthancProcess(Process process, string directory, ConcurrentQueue<string> output, int httpPort)
    {
        _process = process;
        _directory = directory;
        _output = output;
        BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/");
        Client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        _onProcessExit = (_, _) => Kill();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>True when Orthanc and its DICOMweb plugin are installed (tests skip otherwise).</summary>
    public static bool IsInstalled => File.Exists(ExecutablePath) && File.Exists(DicomWebPluginPath);

    /// <summary>Orthanc's REST root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client of Orthanc's REST API (no authentication: it listens on loopback only).</summary>
    public HttpClient Client { get; }

    /// <summary>The last lines Orthanc printed (for diagnosing a failure).</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Starts Orthanc with the DICOMweb plugin and the given remote servers, and waits until its REST API answers.</summary>
    /// <param name="servers">Remote DICOMweb servers, by the name Orthanc's <c>/dicom-web/servers/{name}</c> uses.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="InvalidOperationException">Orthanc is not installed or did not start.</exception>
    public static async Task<OrthancProcess> StartAsync(IReadOnlyDictionary<string, OrthancDicomWebServer> servers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (!IsInstalled)
        {
            throw new InvalidOperationException("Orthanc with its DICOMweb plugin is not installed.");
        }

        Exception? last = null;
        for (var attempt = 1; attempt <= MaxStartAttempts; attempt++)
        {
            try
            {
                return await StartOnceAsync(servers, cancellationToken).ConfigureAwait(false);
            }
            catch (OrthancStartException ex)
            {
                // A port picked as free can be taken before Orthanc binds it; another pair of ports usually works.
                last = ex;
            }
        }

        throw new InvalidOperationException("Orthanc did not start after " + MaxStartAttempts + " attempts.", last);
    }

    /// <summary>Stores a DICOM file in Orthanc (<c>POST /instances</c>) and returns Orthanc's instance id.</summary>
    public async Task<string> UploadAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/dicom");
        using var response = await Client.PostAsync("instances", content, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Orthanc refused the instance: {(int)response.StatusCode} {body}");
        }

        return JsonNode.Parse(body)?["ID"]?.GetValue<string>() ?? throw new InvalidOperationException("Orthanc's answer has no instance ID: " + body);
    }

    /// <summary>
    /// Sends resources (instance, series, study or patient ids) to a remote DICOMweb server by STOW-RS
    /// (<c>POST /dicom-web/servers/{server}/stow</c>, synchronously) and returns the HTTP status and Orthanc's answer.
    /// </summary>
    public async Task<(HttpStatusCode Status, string Body)> StowAsync(string server, IEnumerable<string> resources, CancellationToken cancellationToken)
    {
        var request = new JsonObject { ["Resources"] = new JsonArray(resources.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()) };
        using var content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await Client.PostAsync($"dicom-web/servers/{Uri.EscapeDataString(server)}/stow", content, cancellationToken).ConfigureAwait(false);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The stored file of an Orthanc instance (<c>GET /instances/{id}/file</c>).</summary>
    public async Task<byte[]> GetInstanceFileAsync(string instanceId, CancellationToken cancellationToken) =>
        await Client.GetByteArrayAsync($"instances/{Uri.EscapeDataString(instanceId)}/file", cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        Client.Dispose();
        Kill();
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Killed; the directory may still be in use, which the delete below tolerates.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static async Task<OrthancProcess> StartOnceAsync(IReadOnlyDictionary<string, OrthancDicomWebServer> servers, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Path.GetTempPath(), "cloudarchive-orthanc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(directory, "storage"));
        var httpPort = FreePort();
        var dicomPort = FreePort();
        var configPath = Path.Combine(directory, "orthanc.json");
        await File.WriteAllTextAsync(configPath, Configuration(directory, httpPort, dicomPort, servers).ToJsonString(), cancellationToken).ConfigureAwait(false);

        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        start.ArgumentList.Add(configPath);
        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler keep = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            while (output.Count > 200 && output.TryDequeue(out string? _))
            {
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var orthanc = new OrthancProcess(process, directory, output, httpPort);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < StartTimeout)
        {
            if (process.HasExited)
            {
                var lines = orthanc.RecentOutput;
                await orthanc.DisposeAsync().ConfigureAwait(false);
                throw new OrthancStartException("Orthanc exited during start: " + lines);
            }

            try
            {
                using var probe = await orthanc.Client.GetAsync("dicom-web/servers", cancellationToken).ConfigureAwait(false);
                if (probe.IsSuccessStatusCode)
                {
                    return orthanc;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        var recent = orthanc.RecentOutput;
        await orthanc.DisposeAsync().ConfigureAwait(false);
        throw new OrthancStartException("Orthanc did not answer within " + StartTimeout + ": " + recent);
    }

    private static JsonObject Configuration(string directory, int httpPort, int dicomPort, IReadOnlyDictionary<string, OrthancDicomWebServer> servers)
    {
        var remote = new JsonObject();
        foreach (var (name, server) in servers)
        {
            var headers = new JsonObject();
            foreach (var (header, value) in server.HttpHeaders)
            {
                headers[header] = value;
            }

            remote[name] = new JsonObject { ["Url"] = server.Url.ToString(), ["HttpHeaders"] = headers };
        }

        return new JsonObject
        {
            ["Name"] = "cloudarchive-test",
            ["StorageDirectory"] = Path.Combine(directory, "storage"),
            ["IndexDirectory"] = Path.Combine(directory, "storage"),
            ["HttpPort"] = httpPort,
            ["DicomPort"] = dicomPort,
            ["DicomServerEnabled"] = true,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["HttpTimeout"] = 120,
            ["Plugins"] = new JsonArray(DicomWebPluginPath),
            ["DicomWeb"] = new JsonObject { ["Enable"] = true, ["Root"] = "/dicom-web/", ["Servers"] = remote },
        };
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class OrthancStartException(string message) : Exception(message);
}
