-- Galien: once the preamble is read, Lua keeps to the build folder (see latexmk.py).
--
-- LuaTeX's --safer would do this for the whole run, but luaotfload refuses to
-- start under it ("luaotfload can't run with option --safer. Aborting") and
-- fontspec with it. The preamble is the project's own (trusted); an issue only
-- reaches the document body. So, at the end of \begin{document}, what --safer
-- removes is removed here, and the file functions are narrowed:
-- * reading: files of the build folder (relative names without ".."), and the
--   TeX and font trees the fonts come from;
-- * writing, removing, renaming, making folders: the build folder only;
-- * no programs, no C libraries, no binary chunks, no debug library (which
--   would give back the functions wrapped here);
-- * TeX's own file look-ups (\input, \openin, \pdfextension obj file, images)
--   obey the same rule, whatever openin_any says.
local open, lines, input, output = io.open, io.lines, io.input, io.output
local remove, rename, mkdir, touch = os.remove, os.rename, lfs.mkdir, lfs.touch
local loadfile_, load_ = loadfile, load
local find_file, var_value = kpse.find_file, kpse.var_value

local roots = {}
local function add_root(path)
  if type(path) == 'string' and path:sub(1, 1) == '/' then
    roots[#roots + 1] = (path:gsub('/+$', '')) .. '/'
  end
end
for _, name in ipairs({'TEXMFROOT', 'TEXMFDIST', 'TEXMFMAIN', 'TEXMFLOCAL', 'TEXMFSYSVAR',
                       'TEXMFSYSCONFIG', 'TEXMFVAR', 'TEXMFCONFIG', 'TEXMFHOME', 'TEXMFCACHE'}) do
  local value = var_value(name)
  if value then
    for path in value:gmatch('[^:;{},!]+') do add_root(path) end
  end
end
for _, path in ipairs({'/usr/share/texlive', '/usr/share/texmf', '/usr/share/fonts',
                       '/usr/local/share/fonts', '/usr/share/texmf-dist', '/var/lib/texmf',
                       '/etc/texmf', '/etc/fonts'}) do
  add_root(path)
end
local home = os.getenv('HOME')
if home then
  add_root(home .. '/.fonts')
  add_root(home .. '/.local/share/fonts')
end

local function relative_inside(name)
  if name:sub(1, 1) == '/' or name:sub(1, 1) == '~' or name:find('^%a:') then return false end
  for part in name:gmatch('[^/\\]+') do
    if part == '..' then return false end
  end
  return true
end

local function readable(name)
  if type(name) ~= 'string' or name:find('%z') then return false end
  if relative_inside(name) then return true end
  if name:find('/%.%./') or name:find('/%.%.$') then return false end
  for _, root in ipairs(roots) do
    if name:sub(1, #root) == root then return true end
  end
  return false
end

local function writable(name)
  return type(name) == 'string' and not name:find('%z') and relative_inside(name)
end

local function refuse(what, name)
  texio.write_nl('term and log', 'Galien: ' .. what .. ' ' .. tostring(name) .. ' refused')
  return nil, 'refused by Galien'
end

io.open = function(name, mode)
  mode = mode or 'r'
  local writes = mode:find('[wa+]') ~= nil
  if (writes and not writable(name)) or (not writes and not readable(name)) then
    return refuse('open', name)
  end
  return open(name, mode)
end
io.lines = function(name, ...)
  if name ~= nil and not readable(name) then error('Galien: reading ' .. tostring(name) .. ' refused') end
  return lines(name, ...)
end
io.input = function(file)
  if type(file) == 'string' and not readable(file) then return refuse('input', file) end
  return input(file)
end
io.output = function(file)
  if type(file) == 'string' and not writable(file) then return refuse('output', file) end
  return output(file)
end
io.popen = nil
io.tmpfile = nil
os.remove = function(name)
  if not writable(name) then return refuse('remove', name) end
  return remove(name)
end
os.rename = function(old, new)
  if not (writable(old) and writable(new)) then return refuse('rename', old) end
  return rename(old, new)
end
os.execute, os.exec, os.spawn, os.setenv, os.kpsepopen, os.tmpdir = nil, nil, nil, nil, nil, nil
lfs.mkdir = function(name)
  if not writable(name) then return refuse('mkdir', name) end
  return mkdir(name)
end
lfs.touch = function(name, ...)
  if not writable(name) then return refuse('touch', name) end
  return touch(name, ...)
end
lfs.rmdir, lfs.chdir, lfs.link, lfs.lock, lfs.unlock, lfs.setmode = nil, nil, nil, nil, nil, nil
lfs.shortname, lfs.readlink = nil, nil
loadfile = function(name, mode, ...)
  if name ~= nil and not readable(name) then return refuse('loadfile', name) end
  return loadfile_(name, 't', ...)
end
dofile = function(name)
  local chunk, problem = loadfile(name)
  if not chunk then error(problem) end
  return chunk()
end
load = function(chunk, name, mode, ...)
  return load_(chunk, name, 't', ...)
end
package.loadlib = nil
package.cpath = ''
if package.searchers then
  package.searchers[3], package.searchers[4] = nil, nil
end
package.loaded.debug = nil
debug = nil
mplib, package.loaded.mplib = nil, nil

-- Files copied into the PDF as they are: pdf.obj{file=...}, pdf.immediateobj('file', ...).
local function guard_objects(original)
  return function(...)
    local arguments = {...}
    for index, value in ipairs(arguments) do
      if type(value) == 'table' and value.file ~= nil and not readable(value.file) then
        error('Galien: embedding ' .. tostring(value.file) .. ' refused')
      end
      if (value == 'file' or value == 'streamfile') and not readable(arguments[index + 1]) then
        error('Galien: embedding ' .. tostring(arguments[index + 1]) .. ' refused')
      end
    end
    return original(...)
  end
end
pdf.obj, pdf.immediateobj = guard_objects(pdf.obj), guard_objects(pdf.immediateobj)
if pdfe then
  local pdfe_open = pdfe.open
  pdfe.open = function(name, ...)
    if not readable(name) then return refuse('pdfe', name) end
    return pdfe_open(name, ...)
  end
end
local img_scan = img.scan
img.scan = function(spec, ...)
  if type(spec) == 'table' and spec.filename ~= nil and not readable(spec.filename) then
    error('Galien: image ' .. tostring(spec.filename) .. ' refused')
  end
  return img_scan(spec, ...)
end

-- TeX's file look-ups: a name outside the build folder and the trees is not
-- found (a look-up answering nil would let LuaTeX open the name as written).
local REFUSED = 'galien-refused-file-does-not-exist'
local function guarded(kind)
  return function(id_or_name, name)
    name = name or id_or_name
    local found = readable(name) and (find_file(name, kind) or (relative_inside(name) and name))
    if found and readable(found) then return found end
    refuse(kind, name)
    return REFUSED
  end
end
for callback_name, kind in pairs({find_read_file = 'tex', find_data_file = 'tex',
                                  find_image_file = 'tex'}) do
  if luatexbase.callback_descriptions(callback_name)[1] == nil then
    luatexbase.add_to_callback(callback_name, guarded(kind), 'galien.sandbox')
  end
end
-- No new primitive names, no new callbacks (which could take the checks back).
tex.enableprimitives = function() end
luatexbase.add_to_callback, luatexbase.remove_from_callback = function() end, function() end
callback.register = function() return nil, 'refused by Galien' end
