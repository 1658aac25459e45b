using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthServer.Core.Data.Configurations;

internal sealed class ChangeRevisionConfiguration : IEntityTypeConfiguration<ChangeRevision>
{
    public void Configure(EntityTypeBuilder<ChangeRevision> b)
    {
        b.ToTable("change_revisions");
        b.HasKey(r => r.Area);
        b.Property(r => r.Area).HasMaxLength(32);
        b.HasData(ChangeRevision.Areas.Select(a => new ChangeRevision { Area = a, Revision = 0 }));
    }
}
