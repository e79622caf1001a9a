; Inno Setup script: a Windows installer around the PyInstaller one-folder build.
;
;   python dev.py package                                  (on Windows: makes dist\supportdesk)
;   iscc /DAppVersion=0.1.0 packaging\windows\supportdesk.iss
;
; writes dist\SupportDesk-<version>-setup.exe. Per-user install by default (no administrator
; rights needed; the dialog offers "for all users"). The version comes from pyproject.toml:
; pass it with /DAppVersion (docs/deployment.md, "Desktop packages"). Not built in CI (no
; Windows machine); keep the paths in step with packaging/pyinstaller/supportdesk.spec.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "SupportDesk"
#define AppId "io.github.supportdesk.SupportDesk"
#define AppExe "supportdesk.exe"
; the checkout, seen from this script's folder
#define Root "..\.."

[Setup]
; a fixed GUID-like id: upgrades replace the installed version instead of adding another
AppId={{7D4C2B1E-5A3F-4E8B-9C6D-1F2A3B4C5D6E}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The SupportDesk developers
AppPublisherURL=https://github.com/supportdesk/supportdesk
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=SupportDesk-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "russian"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "autostart"; Description: "Start {#AppName} when I sign in to Windows"; Flags: unchecked

[Files]
; the whole one-folder build: the program, _internal\ (Python, Qt, the resources, the server)
Source: "{#Root}\dist\supportdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; AppUserModelID: "{#AppId}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon; AppUserModelID: "{#AppId}"

[Registry]
; start at sign-in for this user (the autostart task); removed with the program
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExe}"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
