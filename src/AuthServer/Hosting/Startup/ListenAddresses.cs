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
            // Kestrel reads a port it cannot parse as part of the host, and any host it cannot
            // resolve as every address on port 80: http://127.0.0.1:5O01 would serve on *:80.
            if (address.Host is not ("*" or "+" or "localhost") && Uri.CheckHostName(address.Host.Trim('[', ']')) == UriHostNameType.Unknown)
                throw new StartupException($"cannot listen on '{url}': '{address.Host}' is not a host name or IP address (give http://HOST:PORT)");
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
