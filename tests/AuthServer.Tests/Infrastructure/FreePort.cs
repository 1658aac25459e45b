using System.Net;
using System.Net.Sockets;

namespace AuthServer.Tests.Infrastructure;

public static class FreePort
{
    /// <summary>A loopback port free a moment ago, for a setting that must name its port.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
