using AuthServer.Core.Ldap;

namespace AuthServer.Tests.Ldap;

public class LdapFilterTests
{
    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("*", "\\2a")]
    [InlineData("*)(uid=*", "\\2a\\29\\28uid=\\2a")]
    [InlineData("a\\b", "a\\5cb")]
    [InlineData("a\0b", "a\\00b")]
    [InlineData("é", "\\c3\\a9")]
    public void Values_are_escaped_per_RFC_4515(string value, string escaped) =>
        Assert.Equal(escaped, LdapFilter.Escape(value));

    [Fact]
    public void Format_puts_escaped_values_where_the_template_says() =>
        Assert.Equal("(&(objectClass=person)(uid=x\\29\\28cn=\\2a))", LdapFilter.Format("(&(objectClass=person)(uid={0}))", "x)(cn=*"));

    [Theory]
    [InlineData("cn=developers,ou=groups,dc=example,dc=org", "developers")]
    [InlineData("CN=Dev\\2C Ops,OU=Groups,DC=corp", "Dev, Ops")]
    [InlineData("cn=a\\+b+ou=x,dc=y", "a+b")]
    public void Group_names_are_the_first_RDN_value_unescaped(string dn, string name) =>
        Assert.Equal(name, DistinguishedNames.FirstRdnValue(dn));

    [Theory]
    [InlineData("developers", "cn=developers,ou=groups,dc=example,dc=org", true)]
    [InlineData("DEVELOPERS", "cn=developers,ou=groups,dc=example,dc=org", true)]
    [InlineData("cn=*,ou=teams,dc=example,dc=org", "cn=red, ou=teams, dc=example, dc=org", true)]
    [InlineData("cn=*,ou=teams,dc=example,dc=org", "cn=red,ou=other,dc=example,dc=org", false)]
    [InlineData("dev", "cn=developers,ou=groups,dc=example,dc=org", false)]
    public void Group_settings_match_by_name_or_DN_pattern(string setting, string dn, bool matches) =>
        Assert.Equal(matches, DistinguishedNames.Matches(setting, LdapDirectory.Group(dn)));
}
