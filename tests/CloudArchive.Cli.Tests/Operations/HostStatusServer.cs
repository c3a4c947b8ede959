using System.Net;

namespace CloudArchive.Cli.Tests.Operations;

/// <summary>A loopback HTTP server that answers <c>GET /admin/host/status</c> with a fixed status, as a function host would.</summary>
internal sealed class HostStatusServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _requests;

    public HostStatusServer(HttpStatusCode status)
    {
        var port = UploadCommandTests.FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                if (context.Request.Url?.AbsolutePath == "/admin/host/status")
                {
                    Interlocked.Increment(ref _requests);
                    context.Response.StatusCode = (int)status;
                }
                else
                {
                    context.Response.StatusCode = 404;
                }

                context.Response.Close();
            }
        });
    }

    public string BaseUrl { get; }

    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
