-- Galien: the print edition's fonts under LuaLaTeX (loaded by fontpkg, see fonts.py).
-- TeX Gyre Termes and Heros set the text, as they always did; for a character
-- they lack (some super- and subscripts, ⇒ ↔ ✓ ✗, ŉ ĸ Ŧ), FreeFont of the same
-- design is taken glyph by glyph, then DejaVu Sans.
luaotfload.add_fallback('galienserif', {'FreeSerif:mode=node;', 'DejaVuSans:mode=node;'})
luaotfload.add_fallback('galienserifbold', {'FreeSerifBold:mode=node;', 'DejaVuSans-Bold:mode=node;'})
luaotfload.add_fallback('galiensans', {'FreeSans:mode=node;', 'DejaVuSans:mode=node;'})
luaotfload.add_fallback('galiensansbold', {'FreeSansBold:mode=node;', 'DejaVuSans-Bold:mode=node;'})
luaotfload.add_fallback('galienmono', {'DejaVuSans:mode=node;'})
luaotfload.add_fallback('galienmonobold', {'DejaVuSans-Bold:mode=node;'})

-- Copying text out of the PDF gives back the character that was typed: the font
-- loader derives some ToUnicode entries from glyph names ("IJ" for U+0132).
luatexbase.add_to_callback('luaotfload.patch_font', function(tfmdata)
  local characters = tfmdata.characters
  if not characters then return end
  for code, character in pairs(characters) do
    if type(code) == 'number' and code >= 0x20 and code < 0xD800 then
      character.tounicode = string.format('%04X', code)
    end
  end
end, 'galien.tounicode')
