-- The LVS2000 schema BRON Sync Cloud assumes (see docs/lvs2000-schema.md).
-- Plain T-SQL that runs on SQL Server 2005 SP3 and later (the manual's minimum): DATETIME for
-- dates (DATE arrived in 2008), ROWVERSION for optimistic concurrency, no procedures or MERGE.
-- Batches are separated by GO lines. All relay queries live in src/relay/sql/lvs2000.ts.

CREATE TABLE dbo.DatabaseVersie (
  Versie NVARCHAR(20) NOT NULL PRIMARY KEY,
  GeinstalleerdOp DATETIME NOT NULL
)
GO

CREATE TABLE dbo.Aanleverpunt (
  AanleverpuntCode NVARCHAR(6) NOT NULL PRIMARY KEY,
  Brin NVARCHAR(4) NOT NULL,
  Naam NVARCHAR(100) NOT NULL
)
GO

CREATE TABLE dbo.Vestiging (
  VestigingCode NVARCHAR(6) NOT NULL PRIMARY KEY,
  AanleverpuntCode NVARCHAR(6) NOT NULL REFERENCES dbo.Aanleverpunt (AanleverpuntCode),
  Naam NVARCHAR(100) NOT NULL
)
GO

-- AanleverpuntCode: the administratie the pupil record belongs to (a pupil whose enrolment was
-- removed still belongs somewhere, and still shows in that aanleverpunt's snapshot).
CREATE TABLE dbo.Leerling (
  LeerlingNummer NVARCHAR(20) NOT NULL PRIMARY KEY,
  AanleverpuntCode NVARCHAR(6) NULL REFERENCES dbo.Aanleverpunt (AanleverpuntCode),
  Bsn NVARCHAR(9) NULL,
  Onderwijsnummer NVARCHAR(9) NULL,
  Voornamen NVARCHAR(200) NULL,
  Voorvoegsels NVARCHAR(20) NULL,
  Achternaam NVARCHAR(200) NULL,
  Geslacht NVARCHAR(1) NULL,
  Geboortedatum DATETIME NULL,
  OnderwijsSinds DATETIME NULL,
  GewijzigdOp DATETIME NULL,
  RowVersion ROWVERSION
)
GO

CREATE TABLE dbo.Adres (
  LeerlingNummer NVARCHAR(20) NOT NULL PRIMARY KEY REFERENCES dbo.Leerling (LeerlingNummer),
  Straat NVARCHAR(100) NULL,
  Huisnummer INT NULL,
  Toevoeging NVARCHAR(20) NULL,
  Postcode NVARCHAR(10) NULL,
  Plaats NVARCHAR(100) NULL,
  Land NVARCHAR(4) NULL,
  RowVersion ROWVERSION
)
GO

CREATE TABLE dbo.LeerlingNationaliteit (
  LeerlingNummer NVARCHAR(20) NOT NULL REFERENCES dbo.Leerling (LeerlingNummer),
  Volgnummer INT NOT NULL,
  NationaliteitCode NVARCHAR(4) NOT NULL,
  PRIMARY KEY (LeerlingNummer, Volgnummer)
)
GO

CREATE TABLE dbo.Inschrijving (
  InschrijvingId NVARCHAR(20) NOT NULL PRIMARY KEY,
  LeerlingNummer NVARCHAR(20) NOT NULL REFERENCES dbo.Leerling (LeerlingNummer),
  AanleverpuntCode NVARCHAR(6) NOT NULL REFERENCES dbo.Aanleverpunt (AanleverpuntCode),
  VestigingCode NVARCHAR(6) NULL,
  Inschrijfdatum DATETIME NULL,
  Uitschrijfdatum DATETIME NULL,
  RedenUitschrijving NVARCHAR(50) NULL,
  Schoolsoort NVARCHAR(3) NULL,
  Onderwijssoort NVARCHAR(50) NULL,
  SoortVerblijf NVARCHAR(2) NULL,
  Bekostigd BIT NOT NULL,
  -- culturele achtergrond: 1 = niet-Nederlandse culturele achtergrond (NNCA); NULL/0 = none
  Nnca BIT NULL,
  -- leerlinggewicht (basisschool, gewichtenregeling until 1 Aug 2019): 0, 0.3 or 1.2; NULL = none
  Gewicht DECIMAL(2,1) NULL,
  -- voor- en vroegschoolse educatie: 1 = took part, 0 = did not, NULL = not registered
  Vve BIT NULL,
  RowVersion ROWVERSION
)
GO

CREATE INDEX IX_Inschrijving_Aanleverpunt ON dbo.Inschrijving (AanleverpuntCode, LeerlingNummer)
GO

-- Class/group history (klassenhistorie): one row per group period, delivered to BRON in Begindatum
-- order; the current leerjaar is the row with the latest Begindatum.
CREATE TABLE dbo.GroepHistorie (
  GroepHistorieId INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
  InschrijvingId NVARCHAR(20) NOT NULL REFERENCES dbo.Inschrijving (InschrijvingId),
  Leerjaar INT NULL,
  Groep NVARCHAR(20) NULL,
  Begindatum DATETIME NOT NULL,
  Einddatum DATETIME NULL
)
GO

CREATE INDEX IX_GroepHistorie_Inschrijving ON dbo.GroepHistorie (InschrijvingId)
GO

CREATE TABLE dbo.Indicatie (
  IndicatieId INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
  InschrijvingId NVARCHAR(20) NOT NULL REFERENCES dbo.Inschrijving (InschrijvingId),
  Soort NVARCHAR(50) NULL,
  Begindatum DATETIME NULL,
  Einddatum DATETIME NULL,
  Categorie NVARCHAR(20) NULL
)
GO

CREATE INDEX IX_Indicatie_Inschrijving ON dbo.Indicatie (InschrijvingId)
GO

CREATE TABLE dbo.AmbulanteBegeleiding (
  InschrijvingId NVARCHAR(20) NOT NULL PRIMARY KEY REFERENCES dbo.Inschrijving (InschrijvingId),
  OndersteunendeVestiging NVARCHAR(6) NULL,
  OntvangendeVestiging NVARCHAR(6) NULL,
  Begindatum DATETIME NULL
)
GO

-- Eindtoets (until 2022-23) / doorstroomtoets (from 2023-24) of the last leerjaar: the toetsadvies,
-- or the reason no toets was made (codes: docs/exchanged-fields.md).
CREATE TABLE dbo.Eindtoets (
  InschrijvingId NVARCHAR(20) NOT NULL PRIMARY KEY REFERENCES dbo.Inschrijving (InschrijvingId),
  Afnamedatum DATETIME NULL,
  Toetsadvies NVARCHAR(30) NULL,
  Score INT NULL,
  RedenGeenToets NVARCHAR(40) NULL
)
GO

-- Schooladvies (VO-advies) of the last leerjaar and the herzien advies after the toets result.
CREATE TABLE dbo.Schooladvies (
  InschrijvingId NVARCHAR(20) NOT NULL PRIMARY KEY REFERENCES dbo.Inschrijving (InschrijvingId),
  Advies NVARCHAR(30) NULL,
  AdviesDatum DATETIME NULL,
  HerzienAdvies NVARCHAR(30) NULL,
  HerzienDatum DATETIME NULL
)
GO

-- Added for BRON Sync Cloud: what the relay wrote (ids and outcome only, no personal data) ...
CREATE TABLE dbo.RelayAudit (
  RelayAuditId INT IDENTITY(1,1) NOT NULL PRIMARY KEY,
  RequestId NVARCHAR(100) NOT NULL,
  Soort NVARCHAR(20) NOT NULL,
  LeerlingNummer NVARCHAR(20) NOT NULL,
  Resultaat NVARCHAR(20) NOT NULL,
  Velden NVARCHAR(200) NOT NULL,
  Tijdstip DATETIME NOT NULL
)
GO

-- ... and each write request's answer, so a retried request id gets the same answer without a second write.
CREATE TABLE dbo.RelayVerzoek (
  RequestId NVARCHAR(100) NOT NULL PRIMARY KEY,
  VerzoekHash NVARCHAR(64) NOT NULL,
  HttpStatus INT NOT NULL,
  Antwoord NVARCHAR(MAX) NOT NULL,
  Tijdstip DATETIME NOT NULL
)
GO
