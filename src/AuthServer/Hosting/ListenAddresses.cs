using System.Net;
using System.Net.Sockets;

namespace AuthServer.Hosting;

/// <summary>
/// The listen addresses, tried before anything is written: an address Kestrel cannot parse, a
/// port another process holds or a host that is not this machine's stops the start in one line.
/// </summary>
public static class ListenAddresses
{
    public static void Check(string? urls)
    {
        foreach (var url in (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindingAddress address;
            try
            {
                address = BindingAddress.Parse(url);
            }
            catch (FormatException e)
            {
                throw new StartupException($"cannot listen on '{url}': {e.Message}");
            }
            if (address.IsNamedPipe || address.IsUnixPipe || address.Port == 0) continue;
            if (address.Scheme is not ("http" or "https"))
                throw new StartupException($"cannot listen on '{url}': the scheme must be http or https");
            Probe(url, address.Host, address.Port);
        }
    }

    private static void Probe(string url, string host, int port)
    {
        var ip = host switch
        {
            "localhost" => IPAddress.Loopback,
            _ when IPAddress.TryParse(host.Trim('[', ']'), out var parsed) => parsed,
            // Kestrel listens on every address for a wildcard (*, +) or any other host name.
            _ => IPAddress.Any,
        };
        try
        {
            using var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(ip, port));
            socket.Listen();
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new StartupException($"cannot listen on {url}: port {port} is in use by another process");
        }
        catch (SocketException e)
        {
            throw new StartupException($"cannot listen on {url}: {e.Message}");
        }
    }
}
