using System.Text;
using System.Xml.Linq;
using AuthServer.Core.Signing;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace AuthServer.WebConsole;

/// <summary>
/// The keys that sign the console's cookies and antiforgery tokens are kept in the data
/// directory encrypted like the token signing keys: AES-256-GCM under the server's
/// key-encryption key, so a copy of the folder alone cannot forge a console session.
/// </summary>
public static class ConsoleKeyProtection
{
    public static IServiceCollection AddConsoleKeyProtection(this IServiceCollection services) =>
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new Encryptor(sp)));

    /// <summary>Takes the key protector only when a key is written, so a wrong signing setting still fails start-up by its own name.</summary>
    private sealed class Encryptor(IServiceProvider services) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement)
        {
            var protector = services.GetRequiredService<KeyProtector>();
            var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
            var sealedKey = new XElement("kekEncryptedKey", new XElement("value", Convert.ToBase64String(protector.Protect(plain))));
            return new EncryptedXmlInfo(sealedKey, typeof(Decryptor));
        }
    }

    /// <summary>Made by Data Protection from its type name, with the service provider.</summary>
    public sealed class Decryptor(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement)
        {
            var value = encryptedElement.Element("value")?.Value ?? throw new FormatException("the console key has no value");
            var plain = services.GetRequiredService<KeyProtector>().Unprotect(Convert.FromBase64String(value));
            return XElement.Parse(Encoding.UTF8.GetString(plain));
        }
    }
}
