using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace AuthServer.Hosting;

/// <summary>
/// <c>AuthServer:Tls:CertificatePath</c> and <c>KeyPath</c> (PEM): the certificate every https
/// address serves, TLS 1.2 and 1.3 only, HTTP/1.1 and HTTP/2 (Kestrel's default for https).
/// The files are read again every <c>ReloadInterval</c>; when their bytes changed and they load
/// as a matching pair, new handshakes get the new certificate, so a renewal (certbot, cert-manager,
/// a symlink swapped) needs no restart. A pair caught half-written is skipped until it loads.
/// </summary>
public sealed class TlsCertificate : IDisposable
{
    public const string Section = "AuthServer:Tls";

    private readonly string _certificatePath;
    private readonly string _keyPath;
    private readonly ITimer _timer;
    private readonly object _reloading = new();
    private ILogger? _log;
    private byte[] _loadedBytes;
    private volatile X509Certificate2 _current;

    private TlsCertificate(string certificatePath, string keyPath, TimeSpan interval, TimeProvider time)
    {
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        (_current, _loadedBytes) = Load() ?? throw new StartupException(_lastError!);
        _timer = time.CreateTimer(_ => Reload(), null, interval, interval);
    }

    private string? _lastError;

    public X509Certificate2 Current => _current;

    /// <summary>Reads the settings; null when TLS files are not configured (Kestrel's own certificate settings then apply).</summary>
    public static TlsCertificate? FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var certificate = section["CertificatePath"];
        var key = section["KeyPath"];
        if (string.IsNullOrWhiteSpace(certificate) && string.IsNullOrWhiteSpace(key)) return null;
        if (string.IsNullOrWhiteSpace(certificate) || string.IsNullOrWhiteSpace(key))
            throw new StartupException($"{Section}:CertificatePath and {Section}:KeyPath must be set together (PEM files)");
        var interval = TimeSpan.FromMinutes(1);
        if (section["ReloadInterval"] is { Length: > 0 } text &&
            (!TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out interval) || interval < TimeSpan.FromSeconds(1) || interval > TimeSpan.FromDays(1)))
            throw new StartupException($"{Section}:ReloadInterval '{text}' must be a time between 00:00:01 and 1.00:00:00");
        return new TlsCertificate(Path.GetFullPath(certificate), Path.GetFullPath(key), interval, TimeProvider.System);
    }

    /// <summary>Serves this certificate on every https address Kestrel is given.</summary>
    public void Apply(HttpsConnectionAdapterOptions https)
    {
        https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
        https.ServerCertificateSelector = (_, _) => _current;
    }

    /// <summary>Logs reloads once the host's logging exists (the certificate is read before it, at Build).</summary>
    public void UseLogger(ILogger log) => _log = log;

    private (X509Certificate2, byte[])? Load()
    {
        try
        {
            var bytes = File.ReadAllBytes(_certificatePath).Concat(File.ReadAllBytes(_keyPath)).ToArray();
            var certificate = X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
            return (certificate, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            _lastError = $"cannot load the TLS certificate {_certificatePath} with key {_keyPath}: {e.Message}";
            return null;
        }
    }

    private void Reload()
    {
        lock (_reloading)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(_certificatePath).Concat(File.ReadAllBytes(_keyPath)).ToArray();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log?.LogWarning("TLS certificate not reloaded, the files cannot be read ({Message}); still serving {Subject} until {NotAfter:u}",
                    e.Message, _current.Subject, _current.NotAfter.ToUniversalTime());
                return;
            }
            if (bytes.AsSpan().SequenceEqual(_loadedBytes)) return;
            if (Load() is not { } loaded)
            {
                _log?.LogWarning("TLS certificate not reloaded: {Error}; still serving {Subject} until {NotAfter:u}",
                    _lastError, _current.Subject, _current.NotAfter.ToUniversalTime());
                return;
            }
            // The old certificate stays undisposed: a handshake under way may still hold it.
            (_current, _loadedBytes) = loaded;
            _log?.LogInformation("TLS certificate reloaded: {Subject}, valid until {NotAfter:u}, thumbprint {Thumbprint}",
                _current.Subject, _current.NotAfter.ToUniversalTime(), _current.Thumbprint);
        }
    }

    public void Dispose() => _timer.Dispose();
}
