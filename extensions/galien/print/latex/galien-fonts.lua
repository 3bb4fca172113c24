-- Galien: the print edition's fonts under LuaLaTeX (loaded by fontpkg, see fonts.py).
-- FreeFont sets the text; DejaVu Sans supplies, glyph by glyph, the few signs a
-- FreeFont style lacks (check marks, some arrows and phonetic superscripts).
luaotfload.add_fallback('galienfallback', {'DejaVuSans:mode=node;'})
luaotfload.add_fallback('galienfallbackbold', {'DejaVuSans-Bold:mode=node;'})

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
