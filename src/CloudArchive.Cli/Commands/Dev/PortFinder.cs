using System.Net;
using System.Net.Sockets;

namespace CloudArchive.Cli.Commands.Dev;

/// <summary>Chooses loopback ports: the preferred (standard) one when free, else one the OS hands out.</summary>
internal static class PortFinder
{
    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int Ephemeral()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static int PreferredOrFree(int preferred) => IsFree(preferred) ? preferred : Ephemeral();
}
